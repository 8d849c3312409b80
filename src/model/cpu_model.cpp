// The CPU backend of the scheduler: the plan executed with every op's CPU reference.
#include "vkcolor/model/cpu_model.hpp"

#include <cmath>
#include <cstring>

#include "vkcolor/gpu/error.hpp"
#include "vkcolor/layers/activations.hpp"
#include "vkcolor/layers/avgpool2d.hpp"
#include "vkcolor/layers/batchnorm2d.hpp"
#include "vkcolor/layers/concat.hpp"
#include "vkcolor/layers/conv2d.hpp"
#include "vkcolor/layers/cross_entropy.hpp"
#include "vkcolor/layers/elementwise.hpp"
#include "vkcolor/layers/flatten.hpp"
#include "vkcolor/layers/l1_loss.hpp"
#include "vkcolor/layers/maxunpool2d.hpp"
#include "vkcolor/layers/maxpool2d.hpp"
#include "vkcolor/layers/mse_loss.hpp"
#include "vkcolor/layers/relu.hpp"
#include "vkcolor/layers/upsample2d.hpp"
#include "vkcolor/layers/upsample_bilinear2d.hpp"
#include "vkcolor/model/layer_params.hpp"

namespace vkcolor::model {

namespace cpu = layers::cpu;

CpuModel::CpuModel(Graph graph, StateDict state, const optim::OptimizerConfig& optimizer)
    : graph_(std::move(graph)), plan_(make_plan(graph_)), state_(std::move(state)), optimizer_(optimizer) {
    const size_t buffers = optim::buffer_names(optimizer_).size();
    for (const auto& p : graph_.parameters()) {
        if (!p.trainable()) continue;
        Shape s = state_.at(p.name).shape;
        grads_[p.name] = HostTensor(s);
        optimizer_buffers_[p.name].assign(buffers, HostTensor(s));
    }
}

const HostTensor& CpuModel::tensor(const std::string& name) const {
    if (auto it = t_.find(name); it != t_.end()) return it->second;
    return state_.at(name);
}

void CpuModel::forward(const HostTensor& input, bool train) {
    t_[act_name("input")] = input;
    for (const auto& n : graph_.nodes) {
        const HostTensor& x = t_.at(act_name(n.inputs[0]));
        auto p = [&](const char* suffix) -> HostTensor& { return state_.at(n.name + suffix); };
        HostTensor y;
        switch (n.op) {
        case OpKind::Conv2d:
            y = cpu::conv2d_forward(x, p(".weight"), n.bias ? &p(".bias") : nullptr, conv2d_params(n, x.shape.c));
            break;
        case OpKind::BatchNorm2d:
            if (train)
                y = cpu::batchnorm2d_forward_train(x, p(".weight"), p(".bias"), p(".running_mean"), p(".running_var"),
                                                   t_["saved_mean:" + n.name], t_["saved_invstd:" + n.name],
                                                   {n.eps, n.momentum});
            else
                y = cpu::batchnorm2d_forward_eval(x, p(".weight"), p(".bias"), p(".running_mean"), p(".running_var"),
                                                  {n.eps, n.momentum});
            break;
        case OpKind::ReLU: y = cpu::relu_forward(x); break;
        case OpKind::MaxPool2d: {
            auto r = cpu::maxpool2d_forward(x);
            y = std::move(r.y);
            indices_[n.name] = std::move(r.indices);
            break;
        }
        case OpKind::UpsampleNearest2d: y = cpu::upsample_nearest2d_forward(x); break;
        case OpKind::Concat: y = cpu::concat_forward(x, t_.at(act_name(n.inputs[1]))); break;
        case OpKind::LeakyReLU: y = cpu::leaky_relu_forward(x, n.negative_slope); break;
        case OpKind::Sigmoid: y = cpu::sigmoid_forward(x); break;
        case OpKind::Tanh: y = cpu::tanh_forward(x); break;
        case OpKind::AvgPool2d: y = cpu::avgpool2d_forward(x); break;
        case OpKind::UpsampleBilinear2d: y = cpu::upsample_bilinear2d_forward(x); break;
        case OpKind::MaxUnpool2d:
            y = cpu::maxunpool2d_forward(x, indices_.at(n.indices_from), t_.at(act_name(graph_.node(n.indices_from).inputs[0])).shape);
            break;
        case OpKind::ConvTranspose2d:
            y = cpu::conv_transpose2d_forward(x, p(".weight"), n.bias ? &p(".bias") : nullptr,
                                              conv_transpose2d_params(n, x.shape.c));
            break;
        case OpKind::Linear: y = cpu::linear_forward(x, p(".weight"), n.bias ? &p(".bias") : nullptr, linear_params(n, x.shape.c)); break;
        case OpKind::Flatten: y = cpu::flatten(x); break;
        case OpKind::Reshape:
            y = x;
            y.shape = {x.shape.n, n.reshape_c, n.reshape_h, n.reshape_w};
            break;
        case OpKind::Dropout: y = cpu::dropout_forward(x, dropout_params(graph_, n, train), dropout_step()); break;
        case OpKind::Add: y = cpu::add_broadcast(x, t_.at(act_name(n.inputs[1]))); break;
        case OpKind::Mul: y = cpu::mul_broadcast(x, t_.at(act_name(n.inputs[1]))); break;
        }
        t_[act_name(n.name)] = std::move(y);
    }
}

StepResult CpuModel::loss(const HostTensor& target, bool train) {
    const std::string out_name = graph_.nodes.back().name;
    const HostTensor& out = t_.at(act_name(out_name));
    StepResult r;
    if (graph_.loss == LossKind::Mse) {
        r.loss = cpu::mse_loss_forward(out, target).data[0];
        if (train) t_[grad_name(out_name)] = cpu::mse_loss_backward(out, target);
    } else if (graph_.loss == LossKind::L1) {
        r.loss = cpu::l1_loss_forward(out, target).data[0];
        if (train) t_[grad_name(out_name)] = cpu::l1_loss_backward(out, target);
    } else {
        auto f = cpu::cross_entropy_forward(out, target);
        r.loss = f.loss.data[0];
        r.correct = f.correct.data[0];
        t_["argmax"] = std::move(f.argmax);
        if (train) t_[grad_name(out_name)] = cpu::cross_entropy_backward(out, target);
    }
    return r;
}

void CpuModel::backward() {
    for (const Step& s : plan_.backward) {
        if (s.kind == Step::Kind::AddGrads) {
            t_[s.out] = cpu::add(t_.at(s.a), t_.at(s.b));
            continue;
        }
        if (s.kind == Step::Kind::Optimizer) {
            ++step_;
            for (auto& [name, g] : grads_)
                optim::cpu::optimizer_update(optimizer_, state_.at(name), g, optimizer_buffers_.at(name), step_);
            continue;
        }
        const Node& n = graph_.nodes[s.node];
        const HostTensor& dy = t_.at(grad_name(n.name));
        const HostTensor& x = t_.at(act_name(n.inputs[0]));
        auto p = [&](const char* suffix) -> HostTensor& { return state_.at(n.name + suffix); };
        auto dp = [&](const char* suffix) -> HostTensor& { return grads_.at(n.name + suffix); };
        const std::string& dx = s.input_grads[0];
        switch (n.op) {
        case OpKind::Conv2d: {
            auto cp = conv2d_params(n, x.shape.c);
            if (!dx.empty()) t_[dx] = cpu::conv2d_backward_input(dy, p(".weight"), x.shape, cp);
            dp(".weight") = cpu::conv2d_backward_weight(x, dy, cp);
            if (n.bias) dp(".bias") = cpu::conv2d_backward_bias(dy);
            break;
        }
        case OpKind::BatchNorm2d: {
            auto g = cpu::batchnorm2d_backward_train(x, dy, p(".weight"), t_.at("saved_mean:" + n.name),
                                                     t_.at("saved_invstd:" + n.name));
            t_[dx] = std::move(g.dx);
            dp(".weight") = std::move(g.dgamma);
            dp(".bias") = std::move(g.dbeta);
            break;
        }
        case OpKind::ReLU: t_[dx] = cpu::relu_backward(t_.at(act_name(n.name)), dy); break;
        case OpKind::MaxPool2d: t_[dx] = cpu::maxpool2d_backward(x.shape, indices_.at(n.name), dy); break;
        case OpKind::UpsampleNearest2d: t_[dx] = cpu::upsample_nearest2d_backward(dy); break;
        case OpKind::Concat: {
            HostTensor da, db;
            cpu::concat_backward(dy, x.shape.c, da, db);
            t_[dx] = std::move(da);
            t_[s.input_grads[1]] = std::move(db);
            break;
        }
        case OpKind::LeakyReLU: t_[dx] = cpu::leaky_relu_backward(x, dy, n.negative_slope); break;
        case OpKind::Sigmoid: t_[dx] = cpu::sigmoid_backward(t_.at(act_name(n.name)), dy); break;
        case OpKind::Tanh: t_[dx] = cpu::tanh_backward(t_.at(act_name(n.name)), dy); break;
        case OpKind::AvgPool2d: t_[dx] = cpu::avgpool2d_backward(x.shape, dy); break;
        case OpKind::UpsampleBilinear2d: t_[dx] = cpu::upsample_bilinear2d_backward(dy); break;
        case OpKind::MaxUnpool2d: t_[dx] = cpu::maxunpool2d_backward(dy, indices_.at(n.indices_from)); break;
        case OpKind::ConvTranspose2d: {
            auto cp = conv_transpose2d_params(n, x.shape.c);
            if (!dx.empty()) t_[dx] = cpu::conv_transpose2d_backward_input(dy, p(".weight"), x.shape, cp);
            dp(".weight") = cpu::conv_transpose2d_backward_weight(x, dy, cp);
            if (n.bias) dp(".bias") = cpu::conv_transpose2d_backward_bias(dy);
            break;
        }
        case OpKind::Linear: {
            auto lp = linear_params(n, x.shape.c);
            if (!dx.empty()) t_[dx] = cpu::linear_backward_input(dy, p(".weight"), lp);
            dp(".weight") = cpu::linear_backward_weight(x, dy, lp);
            if (n.bias) dp(".bias") = cpu::linear_backward_bias(dy);
            break;
        }
        case OpKind::Flatten:
        case OpKind::Reshape: {
            HostTensor g = dy;
            g.shape = x.shape;
            t_[dx] = std::move(g);
            break;
        }
        case OpKind::Dropout: t_[dx] = cpu::dropout_backward(dy, dropout_params(graph_, n, true), dropout_step()); break;
        case OpKind::Add: {
            auto g = cpu::add_broadcast_backward(dy, t_.at(act_name(n.inputs[1])).shape);
            t_[dx] = std::move(g.da);
            t_[s.input_grads[1]] = std::move(g.db);
            break;
        }
        case OpKind::Mul: {
            auto g = cpu::mul_broadcast_backward(x, t_.at(act_name(n.inputs[1])), dy);
            t_[dx] = std::move(g.da);
            t_[s.input_grads[1]] = std::move(g.db);
            break;
        }
        }
    }
}

StepResult CpuModel::train_step(const HostTensor& input, const HostTensor& target) {
    forward(input, true);
    StepResult r = loss(target, true);
    backward();
    ++state_.batches_tracked;
    return r;
}

StepResult CpuModel::evaluate(const HostTensor& input, const HostTensor& target, HostTensor* output) {
    forward(input, false);
    StepResult r = loss(target, false);
    if (output) *output = t_.at(act_name(graph_.nodes.back().name));
    return r;
}

optim::OptimizerState CpuModel::optimizer_state() const {
    optim::OptimizerState s;
    s.step_state.assign(optim::step_state_words(optimizer_.kind), 0);
    s.step_state[1] = step_;
    if (optimizer_.kind != optim::OptimizerKind::Sgd) {
        // The words the GPU's adam_step would hold after step_ steps ({lr, t, c1, c2, lr / c1,
        // sqrt(c2)}, the bias corrections by its fp32 recurrence), so that a state saved on the CPU
        // resumes on the GPU with the right bias corrections instead of starting them from 0.
        const float beta1 = float(optimizer_.beta1), beta2 = float(optimizer_.beta2);
        const float one_minus_beta1 = float(1.0 - optimizer_.beta1), one_minus_beta2 = float(1.0 - optimizer_.beta2);
        float c1 = 0, c2 = 0;
        for (uint32_t t = 0; t < step_; ++t) {
            c1 = one_minus_beta1 + beta1 * c1;
            c2 = one_minus_beta2 + beta2 * c2;
        }
        const float words[] = {optimizer_.lr, 0, c1, c2, step_ ? optimizer_.lr / c1 : 0.0f, std::sqrt(c2)};
        for (size_t i : {0, 2, 3, 4, 5})
            if (i < s.step_state.size()) std::memcpy(&s.step_state[i], &words[i], sizeof(float));
    }
    const auto names = optim::buffer_names(optimizer_);
    for (const auto& [param, buffers] : optimizer_buffers_)
        for (size_t b = 0; b < names.size(); ++b) s.buffers[names[b]][param] = buffers[b];
    return s;
}

void CpuModel::set_optimizer_state(const optim::OptimizerState& s) {
    const auto names = optim::buffer_names(optimizer_);
    std::map<std::string, std::vector<HostTensor>> buffers;
    for (const auto& [param, g] : grads_)
        for (const auto& name : names) {
            auto of_kind = s.buffers.find(name);
            if (of_kind == s.buffers.end() || !of_kind->second.count(param) || !(of_kind->second.at(param).shape == g.shape))
                throw Error("the optimizer state does not match parameter " + param);
            buffers[param].push_back(of_kind->second.at(param));
        }
    if (s.step_state.size() < 2) throw Error("the optimizer state has no step count");
    step_ = s.step_state[1];
    for (auto& [param, b] : buffers) optimizer_buffers_.at(param) = std::move(b);
}

HostTensor CpuModel::infer(const HostTensor& input) {
    forward(input, false);
    return t_.at(act_name(graph_.nodes.back().name));
}

} // namespace vkcolor::model
