// The optimizer of a training run: its description, the GPU optimizer it names and the matching
// CPU reference step.
#include "vkcolor/optim/optimizer.hpp"

#include <cstdio>

#include "vkcolor/gpu/error.hpp"

namespace vkcolor::optim {

std::string optimizer_name(OptimizerKind kind) {
    switch (kind) {
    case OptimizerKind::Adam: return "adam";
    case OptimizerKind::AdamW: return "adamw";
    case OptimizerKind::Sgd: return "sgd";
    }
    throw Error("internal: unknown optimizer kind");
}

OptimizerKind parse_optimizer_kind(const std::string& name) {
    for (auto k : {OptimizerKind::Adam, OptimizerKind::AdamW, OptimizerKind::Sgd})
        if (optimizer_name(k) == name) return k;
    throw Error("unknown optimizer '" + name + "' (adam, adamw or sgd)");
}

double default_weight_decay(OptimizerKind kind) { return kind == OptimizerKind::AdamW ? adamw_defaults().weight_decay : 0.0; }

AdamOptions adam_options(const OptimizerConfig& c) {
    return {.lr = c.lr,
            .beta1 = c.beta1,
            .beta2 = c.beta2,
            .eps = c.eps,
            .weight_decay = c.weight_decay,
            .decoupled_weight_decay = c.kind == OptimizerKind::AdamW};
}

SgdOptions sgd_options(const OptimizerConfig& c) {
    return {.lr = c.lr, .momentum = c.momentum, .dampening = c.dampening, .weight_decay = c.weight_decay, .nesterov = c.nesterov};
}

namespace {
std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}
} // namespace

std::string describe(const OptimizerConfig& c) {
    std::vector<std::string> parts;
    if (c.kind == OptimizerKind::Sgd) {
        if (c.momentum != 0.0) parts.push_back("momentum " + number(c.momentum));
        if (c.dampening != 0.0) parts.push_back("dampening " + number(c.dampening));
        if (c.nesterov) parts.push_back("nesterov");
    } else {
        // PyTorch's defaults are not worth a mention; anything else is.
        if (c.beta1 != 0.9 || c.beta2 != 0.999) parts.push_back("betas " + number(c.beta1) + ", " + number(c.beta2));
        if (c.eps != 1e-8) parts.push_back("eps " + number(c.eps));
    }
    if (c.weight_decay != 0.0) parts.push_back("weight decay " + number(c.weight_decay));
    std::string s = optimizer_name(c.kind);
    for (size_t i = 0; i < parts.size(); ++i) s += (i == 0 ? " (" : ", ") + parts[i];
    return parts.empty() ? s : s + ")";
}

bool same_except_lr(const OptimizerConfig& a, const OptimizerConfig& b) {
    if (a.kind != b.kind || a.weight_decay != b.weight_decay) return false;
    if (a.kind == OptimizerKind::Sgd) return a.momentum == b.momentum && a.dampening == b.dampening && a.nesterov == b.nesterov;
    return a.beta1 == b.beta1 && a.beta2 == b.beta2 && a.eps == b.eps;
}

std::vector<std::string> buffer_names(const OptimizerConfig& c) {
    if (c.kind != OptimizerKind::Sgd) return {"exp_avg", "exp_avg_sq"};
    if (c.momentum != 0.0) return {"momentum_buffer"};
    return {};
}

size_t step_state_words(OptimizerKind kind) {
    return (kind == OptimizerKind::Sgd ? k_sgd_state_bytes : k_adam_state_bytes) / sizeof(uint32_t);
}

void cpu::optimizer_update(const OptimizerConfig& c, HostTensor& param, const HostTensor& grad, std::vector<HostTensor>& buffers,
                           uint32_t step) {
    if (buffers.size() != buffer_names(c).size()) throw Error("internal: optimizer_update: wrong number of buffers");
    switch (c.kind) {
    case OptimizerKind::Adam:
    case OptimizerKind::AdamW: adam_update(param, grad, buffers[0], buffers[1], step, c.lr, adam_options(c)); return;
    case OptimizerKind::Sgd: {
        HostTensor none;   // sgd_update reads its buffer only with momentum
        sgd_update(param, grad, buffers.empty() ? none : buffers[0], step, c.lr, sgd_options(c));
        return;
    }
    }
}

Optimizer::Optimizer(gpu::Context& ctx, const OptimizerConfig& config) : config_(config) {
    switch (config.kind) {
    case OptimizerKind::Adam:
    case OptimizerKind::AdamW: impl_ = std::make_unique<Adam>(ctx, adam_options(config)); break;
    case OptimizerKind::Sgd: impl_ = std::make_unique<Sgd>(ctx, sgd_options(config)); break;
    }
}

// Adam and Sgd share add/record/learning rate/step state by name; std::visit forwards.
void Optimizer::add(const Tensor& param, const Tensor& grad) {
    std::visit([&](auto& o) { o->add(param, grad); }, impl_);
}

void Optimizer::record(gpu::Recording& rec) const {
    std::visit([&](const auto& o) { o->record(rec); }, impl_);
}

void Optimizer::set_learning_rate(float lr) {
    config_.lr = lr;
    std::visit([&](auto& o) { o->set_learning_rate(lr); }, impl_);
}

uint32_t Optimizer::step_count() const {
    return std::visit([](const auto& o) { return o->step_count(); }, impl_);
}

std::vector<uint32_t> Optimizer::step_state() const {
    return std::visit([](const auto& o) { return o->step_state(); }, impl_);
}

void Optimizer::set_step_state(const std::vector<uint32_t>& words) {
    std::visit([&](auto& o) { o->set_step_state(words); }, impl_);
}

size_t Optimizer::size() const {
    return std::visit([](const auto& o) { return o->size(); }, impl_);
}

const Tensor& Optimizer::buffer(size_t i, size_t which) const {
    if (which >= buffer_names(config_).size()) throw Error("internal: the optimizer has no buffer " + std::to_string(which));
    if (const auto* sgd = std::get_if<std::unique_ptr<Sgd>>(&impl_)) return (*sgd)->momentum_buffer(i);
    const auto& adam = std::get<std::unique_ptr<Adam>>(impl_);
    return which == 0 ? adam->exp_avg(i) : adam->exp_avg_sq(i);
}

void Optimizer::set_buffers(size_t i, const std::vector<HostTensor>& b) {
    if (b.size() != buffer_names(config_).size()) throw Error("internal: Optimizer::set_buffers: wrong number of buffers");
    if (b.empty()) return;
    if (auto* sgd = std::get_if<std::unique_ptr<Sgd>>(&impl_)) (*sgd)->set_momentum_buffer(i, b[0]);
    else std::get<std::unique_ptr<Adam>>(impl_)->set_moments(i, b[0], b[1]);
}

} // namespace vkcolor::optim
