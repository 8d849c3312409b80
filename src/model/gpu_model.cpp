// The GPU backend of the scheduler: allocation once, one recording per step, replayed.
#include "vkcolor/model/gpu_model.hpp"

#include <cstring>

#include "vkcolor/gpu/error.hpp"
#include "vkcolor/layers/activations.hpp"
#include "vkcolor/layers/avgpool2d.hpp"
#include "vkcolor/layers/batchnorm2d.hpp"
#include "vkcolor/layers/concat.hpp"
#include "vkcolor/layers/conv2d.hpp"
#include "vkcolor/layers/cross_entropy.hpp"
#include "vkcolor/layers/elementwise.hpp"
#include "vkcolor/layers/l1_loss.hpp"
#include "vkcolor/layers/maxunpool2d.hpp"
#include "vkcolor/layers/maxpool2d.hpp"
#include "vkcolor/layers/mse_loss.hpp"
#include "vkcolor/layers/relu.hpp"
#include "vkcolor/layers/upsample2d.hpp"
#include "vkcolor/layers/upsample_bilinear2d.hpp"
#include "vkcolor/model/layer_params.hpp"

namespace vkcolor::model {

namespace {

std::string saved_mean(const Node& n) { return "saved_mean:" + n.name; }
std::string saved_invstd(const Node& n) { return "saved_invstd:" + n.name; }
const std::string k_input = "act:input", k_target = "target", k_loss = "loss", k_correct = "correct",
                  k_argmax = "argmax";

} // namespace

// --- GpuModel ---------------------------------------------------------------------------------

GpuModel::GpuModel(gpu::Context& ctx, Graph graph, const StateDict& state, const optim::OptimizerConfig& optimizer)
    : ctx_(ctx), graph_(std::move(graph)), plan_(make_plan(graph_)) {
    optimizer_ = std::make_unique<optim::Optimizer>(ctx_, optimizer);
    for (const auto& p : graph_.parameters()) {
        if (p.role == ParamRole::BatchesTracked) continue;
        const HostTensor& h = state.at(p.name);
        if (!(h.shape == host_shape(p)))
            throw Error("parameter " + p.name + " has shape " + h.shape.str() + ", the model needs " + host_shape(p).str());
        Tensor t(ctx_, h.shape);
        t.upload(ctx_, h);
        params_.emplace(p.name, std::move(t));
        if (p.trainable()) {
            grads_.emplace(p.name, Tensor(ctx_, h.shape));
            trainable_.push_back(p.name);
        }
    }
    // Tensors stay where they are from here on (std::map nodes are stable), as the optimizer requires.
    for (const auto& name : trainable_) optimizer_->add(params_.at(name), grads_.at(name));
    batches_tracked_ = state.batches_tracked;
    for (const auto& n : graph_.nodes)
        if (n.op == OpKind::Dropout && !dropout_step_) {
            dropout_step_ = ctx_.create_buffer(layers::k_dropout_step_bytes, gpu::MemoryKind::Device);
            uint32_t step = static_cast<uint32_t>(batches_tracked_);
            ctx_.upload(*dropout_step_, &step, sizeof step);
        }
}

GpuModel::~GpuModel() = default;

const Tensor& GpuModel::param(const std::string& name) const {
    auto it = params_.find(name);
    if (it == params_.end()) throw Error("internal: no parameter '" + name + "'");
    return it->second;
}

const Tensor& GpuModel::param_grad(const std::string& name) const {
    auto it = grads_.find(name);
    if (it == grads_.end()) throw Error("internal: no gradient for '" + name + "'");
    return it->second;
}

GpuPass& GpuModel::pass(const Shape& input, PassMode mode, bool profile) {
    for (auto& p : passes_)
        if (p->input_shape() == input && p->mode() == mode && p->profiled() == profile) return *p;
    passes_.push_back(std::make_unique<GpuPass>(*this, input, mode, profile));
    return *passes_.back();
}

StateDict GpuModel::state() {
    StateDict sd;
    for (const auto& [name, t] : params_) sd.tensors[name] = t.download_host(ctx_);
    sd.batches_tracked = batches_tracked_;
    return sd;
}

optim::OptimizerState GpuModel::optimizer_state() {
    optim::OptimizerState s;
    s.step_state = optimizer_->step_state();
    const auto names = optim::buffer_names(optimizer_->config());
    for (size_t i = 0; i < trainable_.size(); ++i)
        for (size_t b = 0; b < names.size(); ++b)
            s.buffers[names[b]][trainable_[i]] = optimizer_->buffer(i, b).download_host(ctx_);
    return s;
}

void GpuModel::load_optimizer_state(const optim::OptimizerState& s) {
    const auto names = optim::buffer_names(optimizer_->config());
    for (size_t i = 0; i < trainable_.size(); ++i) {
        std::vector<HostTensor> buffers;
        for (const auto& name : names) buffers.push_back(s.buffers.at(name).at(trainable_[i]));
        optimizer_->set_buffers(i, buffers);
    }
    optimizer_->set_step_state(s.step_state);
}

// --- GpuPass ----------------------------------------------------------------------------------

GpuPass::GpuPass(GpuModel& model, const Shape& input, PassMode mode, bool profile)
    : model_(model), input_(input), mode_(mode), profile_(profile) {
    shapes_ = model.graph_.infer_shapes(input);
    allocate();
    for (int s = 0; s < 2; ++s) record(s);
}

GpuPass::~GpuPass() {
    for (int s = 0; s < 2; ++s)
        if (in_flight_[s]) model_.ctx_.wait(*slots_[s].rec);
}

size_t GpuPass::target_count() const {
    const Shape& out = shapes_.at(model_.graph_.nodes.back().name);
    return model_.graph_.loss != LossKind::CrossEntropy ? out.count() : size_t(out.n) * out.h * out.w;
}

void GpuPass::allocate() {
    auto& ctx = model_.ctx_;
    const Graph& g = model_.graph_;
    const bool train = mode_ == PassMode::Train;
    auto add = [&](const std::string& name, const Shape& s) { tensors_.emplace(name, Tensor(ctx, s)); };

    add(k_input, input_);
    for (const auto& n : g.nodes) {
        if (n.op == OpKind::Flatten || n.op == OpKind::Reshape)   // a view: no bytes move
            tensors_.emplace(act_name(n.name), t(act_name(n.inputs[0])).view(shapes_.at(n.name)));
        else add(act_name(n.name), shapes_.at(n.name));
        if (n.op == OpKind::BatchNorm2d && train) {
            Shape c{1, shapes_.at(n.name).c, 1, 1};
            add(saved_mean(n), c);
            add(saved_invstd(n), c);
        }
        if (n.op == OpKind::MaxPool2d) indices_.emplace(n.name, layers::make_maxpool2d_indices(ctx, shapes_.at(n.name)));
    }
    const Shape out = shapes_.at(g.nodes.back().name);
    if (mode_ != PassMode::Infer) {
        add(k_target, g.loss != LossKind::CrossEntropy ? out : Shape{out.n, 1, out.h, out.w});
        add(k_loss, {1, 1, 1, 1});
        add(k_correct, {1, 1, 1, 1});
    }
    if (g.loss == LossKind::CrossEntropy) add(k_argmax, {out.n, 1, out.h, out.w});
    if (train) {
        for (const auto& name : model_.plan_.grad_names) {
            if (tensors_.count(name)) continue;
            // A gradient has the shape of the tensor it belongs to: "grad:N", "grad:N#k",
            // "grad:N~k" are N's shape; "discard:K" is K's input image.
            std::string base = name.substr(name.find(':') + 1);
            base = base.substr(0, base.find_first_of("#~"));
            add(name, name.rfind("discard:", 0) == 0 ? input_ : shapes_.at(base));
        }
    }
    for (auto& slot : slots_) {
        slot.input = ctx.create_buffer(input_.bytes(), gpu::MemoryKind::Upload);
        if (mode_ != PassMode::Infer) slot.target = ctx.create_buffer(target_count() * sizeof(float), gpu::MemoryKind::Upload);
        slot.result = ctx.create_buffer(2 * sizeof(float), gpu::MemoryKind::Readback);
        std::memset(slot.result.mapped(), 0, 2 * sizeof(float));
        // The activations are shared by both slots, so by the time the host waits on a slot the
        // other slot's batch may have overwritten the output: an evaluation keeps its own copy.
        if (mode_ == PassMode::Eval) slot.output_copy = ctx.create_buffer(out.bytes(), gpu::MemoryKind::Readback);
    }
}

const Tensor& GpuPass::tensor(const std::string& name) const {
    auto it = tensors_.find(name);
    if (it == tensors_.end()) throw Error("internal: pass has no tensor '" + name + "'");
    return it->second;
}

float* GpuPass::input(int slot) { return static_cast<float*>(slots_[slot].input.mapped()); }

float* GpuPass::target(int slot) {
    if (mode_ == PassMode::Infer) throw Error("internal: an inference pass has no target");
    return static_cast<float*>(slots_[slot].target.mapped());
}

void GpuPass::record(int s) {
    auto& slot = slots_[s];
    slot.rec = std::make_unique<gpu::Recording>(model_.ctx_);
    slot.rec->set_shader_regions(profile_);
    gpu::Recording& rec = *slot.rec;
    rec.copy(slot.input, t(k_input), input_.bytes());
    if (mode_ != PassMode::Infer) rec.copy(slot.target, t(k_target), target_count() * sizeof(float));
    record_forward(rec);
    if (mode_ != PassMode::Infer) {
        record_loss(rec);
        rec.copy(t(k_loss), slot.result, sizeof(float), 0, 0);
        rec.copy(t(k_correct), slot.result, sizeof(float), 0, sizeof(float));
    }
    if (slot.output_copy) rec.copy(t(act_name(model_.graph_.nodes.back().name)), slot.output_copy, slot.output_copy.size());
    if (mode_ == PassMode::Train) record_backward(rec);
    rec.finish();
}

void GpuPass::record_forward(gpu::Recording& rec) {
    const Graph& g = model_.graph_;
    const bool train = mode_ == PassMode::Train;
    if (train && model_.dropout_step_) layers::dropout_next_step(rec, *model_.dropout_step_);   // new masks each step
    for (const auto& n : g.nodes) {
        if (profile_) rec.begin_region("forward " + n.name);
        const Tensor& y = t(act_name(n.name));
        const Tensor& x = t(act_name(n.inputs[0]));   // act:input is the batch
        auto p = [&](const char* suffix) -> const Tensor& { return model_.param(n.name + suffix); };
        switch (n.op) {
        case OpKind::Conv2d:
            layers::conv2d_forward(rec, x, p(".weight"), n.bias ? &p(".bias") : nullptr, y, conv2d_params(n, x.shape().c));
            break;
        case OpKind::BatchNorm2d:
            if (train)
                layers::batchnorm2d_forward_train(rec, x, p(".weight"), p(".bias"), p(".running_mean"), p(".running_var"),
                                                  t(saved_mean(n)), t(saved_invstd(n)), y, batchnorm2d_params(n));
            else
                layers::batchnorm2d_forward_eval(rec, x, p(".weight"), p(".bias"), p(".running_mean"), p(".running_var"), y,
                                                 batchnorm2d_params(n));
            break;
        case OpKind::ReLU: layers::relu_forward(rec, x, y); break;
        case OpKind::MaxPool2d: layers::maxpool2d_forward(rec, x, y, indices_.at(n.name)); break;
        case OpKind::UpsampleNearest2d: layers::upsample_nearest2d_forward(rec, x, y); break;
        case OpKind::Concat: layers::concat_forward(rec, x, t(act_name(n.inputs[1])), y); break;
        case OpKind::LeakyReLU: layers::leaky_relu_forward(rec, x, y, n.negative_slope); break;
        case OpKind::Sigmoid: layers::sigmoid_forward(rec, x, y); break;
        case OpKind::Tanh: layers::tanh_forward(rec, x, y); break;
        case OpKind::AvgPool2d: layers::avgpool2d_forward(rec, x, y); break;
        case OpKind::UpsampleBilinear2d: layers::upsample_bilinear2d_forward(rec, x, y); break;
        case OpKind::MaxUnpool2d: layers::maxunpool2d_forward(rec, x, indices_.at(n.indices_from), y); break;
        case OpKind::ConvTranspose2d:
            layers::conv_transpose2d_forward(rec, x, p(".weight"), n.bias ? &p(".bias") : nullptr, y,
                                             conv_transpose2d_params(n, x.shape().c));
            break;
        case OpKind::Linear:
            layers::linear_forward(rec, x, p(".weight"), n.bias ? &p(".bias") : nullptr, y, linear_params(n, x.shape().c));
            break;
        case OpKind::Flatten:
        case OpKind::Reshape: break;   // y is a view of x
        case OpKind::Dropout:
            layers::dropout_forward(rec, *model_.dropout_step_, x, y, dropout_params(g, n, train));
            break;
        case OpKind::Add: layers::add_broadcast(rec, x, t(act_name(n.inputs[1])), y); break;
        case OpKind::Mul: layers::mul_broadcast(rec, x, t(act_name(n.inputs[1])), y); break;
        }
        if (profile_) rec.end_region();
    }
}

void GpuPass::record_loss(gpu::Recording& rec) {
    const Graph& g = model_.graph_;
    const std::string out = act_name(g.nodes.back().name);
    if (profile_) rec.begin_region("loss");
    if (g.loss == LossKind::Mse) {
        layers::mse_loss_forward(rec, t(out), t(k_target), t(k_loss));
        rec.fill(t(k_correct), 0);
        if (mode_ == PassMode::Train) layers::mse_loss_backward(rec, t(out), t(k_target), t(grad_name(g.nodes.back().name)));
    } else if (g.loss == LossKind::L1) {
        layers::l1_loss_forward(rec, t(out), t(k_target), t(k_loss));
        rec.fill(t(k_correct), 0);
        if (mode_ == PassMode::Train) layers::l1_loss_backward(rec, t(out), t(k_target), t(grad_name(g.nodes.back().name)));
    } else {
        layers::cross_entropy_forward(rec, t(out), t(k_target), t(k_loss), t(k_argmax), t(k_correct));
        if (mode_ == PassMode::Train)
            layers::cross_entropy_backward(rec, t(out), t(k_target), t(grad_name(g.nodes.back().name)));
    }
    if (profile_) rec.end_region();
}

void GpuPass::record_backward(gpu::Recording& rec) {
    const Graph& g = model_.graph_;
    for (const Step& s : model_.plan_.backward) {
        if (s.kind == Step::Kind::AddGrads) {
            layers::add(rec, t(s.a), t(s.b), t(s.out));
            continue;
        }
        if (s.kind == Step::Kind::Optimizer) {
            if (profile_) rec.begin_region(optim::optimizer_name(model_.optimizer_->config().kind));
            model_.optimizer_->record(rec);
            if (profile_) rec.end_region();
            continue;
        }
        const Node& n = g.nodes[s.node];
        if (profile_) rec.begin_region("backward " + n.name);
        const Tensor& dy = t(grad_name(n.name));
        const Tensor& x = t(act_name(n.inputs[0]));
        auto p = [&](const char* suffix) -> const Tensor& { return model_.param(n.name + suffix); };
        auto dp = [&](const char* suffix) -> const Tensor& { return model_.param_grad(n.name + suffix); };
        const std::string& dx = s.input_grads[0];
        switch (n.op) {
        case OpKind::Conv2d: {
            auto cp = conv2d_params(n, x.shape().c);
            if (!dx.empty()) layers::conv2d_backward_input(rec, dy, p(".weight"), t(dx), cp);
            layers::conv2d_backward_weight(rec, x, dy, dp(".weight"), cp);
            if (n.bias) layers::conv2d_backward_bias(rec, dy, dp(".bias"));
            break;
        }
        case OpKind::BatchNorm2d:
            layers::batchnorm2d_backward_train(rec, x, dy, p(".weight"), t(saved_mean(n)), t(saved_invstd(n)), t(dx),
                                               dp(".weight"), dp(".bias"));
            break;
        case OpKind::ReLU: layers::relu_backward(rec, t(act_name(n.name)), dy, t(dx)); break;
        case OpKind::MaxPool2d: layers::maxpool2d_backward(rec, indices_.at(n.name), dy, t(dx)); break;
        case OpKind::UpsampleNearest2d: layers::upsample_nearest2d_backward(rec, dy, t(dx)); break;
        case OpKind::Concat: layers::concat_backward(rec, dy, t(dx), t(s.input_grads[1])); break;
        case OpKind::LeakyReLU: layers::leaky_relu_backward(rec, x, dy, t(dx), n.negative_slope); break;
        case OpKind::Sigmoid: layers::sigmoid_backward(rec, t(act_name(n.name)), dy, t(dx)); break;
        case OpKind::Tanh: layers::tanh_backward(rec, t(act_name(n.name)), dy, t(dx)); break;
        case OpKind::AvgPool2d: layers::avgpool2d_backward(rec, dy, t(dx)); break;
        case OpKind::UpsampleBilinear2d: layers::upsample_bilinear2d_backward(rec, dy, t(dx)); break;
        case OpKind::MaxUnpool2d: layers::maxunpool2d_backward(rec, indices_.at(n.indices_from), dy, t(dx)); break;
        case OpKind::ConvTranspose2d: {
            auto cp = conv_transpose2d_params(n, x.shape().c);
            if (!dx.empty()) layers::conv_transpose2d_backward_input(rec, dy, p(".weight"), t(dx), cp);
            layers::conv_transpose2d_backward_weight(rec, x, dy, dp(".weight"), cp);
            if (n.bias) layers::conv_transpose2d_backward_bias(rec, dy, dp(".bias"));
            break;
        }
        case OpKind::Linear: {
            auto lp = linear_params(n, x.shape().c);
            if (!dx.empty()) layers::linear_backward_input(rec, dy, p(".weight"), t(dx), lp);
            layers::linear_backward_weight(rec, x, dy, dp(".weight"), lp);
            if (n.bias) layers::linear_backward_bias(rec, dy, dp(".bias"));
            break;
        }
        case OpKind::Flatten:
        case OpKind::Reshape: rec.copy(dy, t(dx), dy.shape().bytes()); break;   // same bytes, the input's shape
        case OpKind::Dropout:
            layers::dropout_backward(rec, *model_.dropout_step_, dy, t(dx), dropout_params(g, n, true));
            break;
        case OpKind::Add: layers::add_broadcast_backward(rec, dy, t(dx), t(s.input_grads[1])); break;
        case OpKind::Mul:
            layers::mul_broadcast_backward(rec, x, t(act_name(n.inputs[1])), dy, t(dx), t(s.input_grads[1]));
            break;
        }
        if (profile_) rec.end_region();
    }
}

void GpuPass::submit(int slot) {
    if (in_flight_[slot]) throw Error("internal: slot submitted twice without wait()");
    model_.ctx_.submit(*slots_[slot].rec);
    in_flight_[slot] = true;
    if (mode_ == PassMode::Train) model_.count_training_step();
}

StepResult GpuPass::wait(int slot) {
    if (in_flight_[slot]) {
        model_.ctx_.wait(*slots_[slot].rec);
        in_flight_[slot] = false;
    }
    const float* r = static_cast<const float*>(slots_[slot].result.mapped());
    return {r[0], r[1]};
}

HostTensor GpuPass::output(int slot) {
    wait(slot);
    const Tensor& out = t(act_name(model_.graph_.nodes.back().name));
    if (!slots_[slot].output_copy) return out.download_host(model_.ctx_);
    HostTensor h(out.shape());
    std::memcpy(h.data.data(), slots_[slot].output_copy.mapped(), out.shape().bytes());
    return h;
}

HostTensor GpuPass::argmax(int slot) {
    wait(slot);
    return t(k_argmax).download_host(model_.ctx_);
}

std::vector<gpu::RegionTime> GpuPass::region_times(int slot) const { return slots_[slot].rec->region_times(); }

} // namespace vkcolor::model
