// SGD with momentum and Nesterov: the CPU reference and the GPU recording side by side.
#include "vkcolor/optim/sgd.hpp"

#include <cstddef>
#include <cstring>

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/layers/common.hpp"

namespace vkcolor::optim {

void cpu::sgd_update(HostTensor& param, const HostTensor& grad, HostTensor& momentum_buffer, uint32_t step, float lr,
                     const SgdOptions& o) {
    layers::require_same_shape("sgd_update", param.shape, grad.shape);
    if (o.momentum != 0.0) layers::require_same_shape("sgd_update", param.shape, momentum_buffer.shape);
    if (step == 0) throw Error("internal: sgd_update: steps count from 1");
    for (size_t i = 0; i < param.data.size(); ++i) {
        double p = param.data[i];
        double g = double(grad.data[i]) + o.weight_decay * p;
        if (o.momentum != 0.0) {
            double b = step == 1 ? g : o.momentum * momentum_buffer.data[i] + (1.0 - o.dampening) * g;
            momentum_buffer.data[i] = static_cast<float>(b);
            g = o.nesterov ? g + o.momentum * b : b;
        }
        param.data[i] = static_cast<float>(p - double(lr) * g);
    }
}

namespace {
// The layout of the step state buffer, shared with sgd_step.comp and the update shaders.
struct StepState {
    float lr;
    uint32_t t;
    uint32_t unused[2];
};
static_assert(sizeof(StepState) == k_sgd_state_bytes);

struct UpdatePush {
    uint32_t n;
    float weight_decay;
};
struct MomentumPush {
    uint32_t n;
    float weight_decay, momentum, one_minus_dampening;
    uint32_t nesterov;
};
} // namespace

void sgd_step(gpu::Recording& rec, const gpu::Buffer& state) {
    if (state.size() < k_sgd_state_bytes) throw Error("internal: sgd_step: the state buffer is too small");
    // A single invocation: the workgroup size (specialisation constant 0) is 1.
    struct Push { uint32_t unused; };
    rec.dispatch(rec.context().pipeline(shaders::sgd_step, {1}), {state}, Push{0}, {1, 1, 1});
}

void sgd_update(gpu::Recording& rec, const gpu::Buffer& state, const Tensor& param, const Tensor& grad,
                const Tensor* momentum_buffer, const SgdOptions& o) {
    layers::require_same_shape("sgd_update", param.shape(), grad.shape());
    if ((o.momentum != 0.0) != (momentum_buffer != nullptr))
        throw Error("internal: sgd_update: a momentum buffer is given iff momentum is not 0");
    uint32_t n = layers::u32(param.shape().count());
    if (!momentum_buffer) {
        rec.dispatch_1d(rec.context().pipeline(shaders::sgd_update), {state, param, grad}, UpdatePush{n, float(o.weight_decay)},
                        n);
        return;
    }
    layers::require_same_shape("sgd_update", param.shape(), momentum_buffer->shape());
    // 1 - dampening is rounded from double once, as PyTorch passes it to its kernel.
    MomentumPush push{n, float(o.weight_decay), float(o.momentum), float(1.0 - o.dampening), o.nesterov ? 1u : 0u};
    rec.dispatch_1d(rec.context().pipeline(shaders::sgd_momentum_update), {state, param, grad, *momentum_buffer}, push, n);
}

Sgd::Sgd(gpu::Context& ctx, const SgdOptions& options) : ctx_(ctx), options_(options) {
    if (!(options.lr >= 0.0f) || !(options.momentum >= 0.0) || !(options.weight_decay >= 0.0))
        throw Error("SGD: the learning rate, momentum and weight decay must not be negative");
    if (options.nesterov && (options.momentum <= 0.0 || options.dampening != 0.0))
        throw Error("SGD: Nesterov momentum requires a momentum and zero dampening");
    state_ = ctx.create_buffer(k_sgd_state_bytes);
    StepState s{};   // t = 0
    s.lr = options.lr;
    ctx_.upload(state_, &s, sizeof s);
}

void Sgd::add(const Tensor& param, const Tensor& grad) {
    layers::require_same_shape("Sgd::add", param.shape(), grad.shape());
    Slot slot{&param, &grad, Tensor()};
    if (has_momentum()) {
        slot.buffer = Tensor(ctx_, param.shape());
        slot.buffer.upload(ctx_, std::vector<float>(param.shape().count(), 0.0f));
    }
    slots_.push_back(std::move(slot));
}

void Sgd::record(gpu::Recording& rec) const {
    sgd_step(rec, state_);
    for (const auto& s : slots_) sgd_update(rec, state_, *s.param, *s.grad, has_momentum() ? &s.buffer : nullptr, options_);
}

void Sgd::set_learning_rate(float lr) {
    options_.lr = lr;
    ctx_.upload(state_, &lr, sizeof lr, offsetof(StepState, lr));
}

uint32_t Sgd::step_count() const {
    StepState s{};
    ctx_.download(state_, &s, sizeof s);
    return s.t;
}

std::vector<uint32_t> Sgd::step_state() const {
    std::vector<uint32_t> words(k_sgd_state_bytes / 4);
    ctx_.download(state_, words.data(), k_sgd_state_bytes);
    return words;
}

void Sgd::set_step_state(const std::vector<uint32_t>& words) {
    if (words.size() * 4 != k_sgd_state_bytes)
        throw Error("an SGD step state has " + std::to_string(k_sgd_state_bytes / 4) + " words, got " +
                    std::to_string(words.size()));
    StepState s;
    std::memcpy(&s, words.data(), sizeof s);
    s.lr = options_.lr;   // the learning rate stays the one this optimizer runs with
    ctx_.upload(state_, &s, sizeof s);
}

const Tensor& Sgd::momentum_buffer(size_t i) const {
    if (!has_momentum()) throw Error("internal: SGD without momentum keeps no momentum buffers");
    return slots_.at(i).buffer;
}

void Sgd::set_momentum_buffer(size_t i, const HostTensor& b) {
    if (!has_momentum()) throw Error("internal: SGD without momentum keeps no momentum buffers");
    slots_.at(i).buffer.upload(ctx_, b);
}

} // namespace vkcolor::optim
