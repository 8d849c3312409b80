// Adam and AdamW (Adam with decoupled weight decay): the CPU reference and the GPU recording side
// by side.
#include "vkcolor/optim/adam.hpp"

#include <cstring>

#include <cmath>
#include <cstddef>

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/layers/common.hpp"

namespace vkcolor::optim {

void cpu::adam_update(HostTensor& param, const HostTensor& grad, HostTensor& m, HostTensor& v, uint32_t step,
                      float lr, const AdamOptions& o) {
    layers::require_same_shape("adam_update", param.shape, grad.shape);
    layers::require_same_shape("adam_update", param.shape, m.shape);
    layers::require_same_shape("adam_update", param.shape, v.shape);
    if (step == 0) throw Error("internal: adam_update: steps count from 1");
    double bias_correction1 = 1.0 - std::pow(o.beta1, double(step));
    double bias_correction2_sqrt = std::sqrt(1.0 - std::pow(o.beta2, double(step)));
    double step_size = double(lr) / bias_correction1;
    double decay = 1.0 - double(lr) * o.weight_decay;   // AdamW's, once per step as PyTorch
    for (size_t i = 0; i < param.data.size(); ++i) {
        double p, g;
        if (o.decoupled_weight_decay) {   // AdamW: decay the parameter, not through the gradient
            p = param.data[i] * decay;
            g = grad.data[i];
        } else {                          // Adam: L2 penalty added to the gradient
            p = param.data[i];
            g = double(grad.data[i]) + o.weight_decay * p;
        }
        double mi = o.beta1 * m.data[i] + (1.0 - o.beta1) * g;
        double vi = o.beta2 * v.data[i] + (1.0 - o.beta2) * g * g;
        m.data[i] = static_cast<float>(mi);
        v.data[i] = static_cast<float>(vi);
        param.data[i] = static_cast<float>(p - step_size * mi / (std::sqrt(vi) / bias_correction2_sqrt + o.eps));
    }
}

namespace {
// The layout of the step state buffer, shared with adam_step.comp and adam_update.comp.
struct StepState {
    float lr;
    uint32_t t;
    float c1, c2, step_size, c2_sqrt;
    float unused[2];
};
static_assert(sizeof(StepState) == k_adam_state_bytes);

struct StepPush {
    float beta1, beta2, one_minus_beta1, one_minus_beta2;
};
struct UpdatePush {
    uint32_t n;
    float beta1, beta2, one_minus_beta1, one_minus_beta2, eps, weight_decay;
};
// 1 - beta is rounded from double once, as PyTorch passes it to its kernels.
float one_minus(double beta) { return static_cast<float>(1.0 - beta); }
} // namespace

void adam_step(gpu::Recording& rec, const gpu::Buffer& state, const AdamOptions& o) {
    if (state.size() < k_adam_state_bytes) throw Error("internal: adam_step: the state buffer is too small");
    // A single invocation: the workgroup size (specialisation constant 0) is 1.
    rec.dispatch(rec.context().pipeline(shaders::adam_step, {1}), {state},
                 StepPush{float(o.beta1), float(o.beta2), one_minus(o.beta1), one_minus(o.beta2)}, {1, 1, 1});
}

void adam_update(gpu::Recording& rec, const gpu::Buffer& state, const Tensor& param, const Tensor& grad,
                 const Tensor& m, const Tensor& v, const AdamOptions& o) {
    layers::require_same_shape("adam_update", param.shape(), grad.shape());
    layers::require_same_shape("adam_update", param.shape(), m.shape());
    layers::require_same_shape("adam_update", param.shape(), v.shape());
    if (state.size() < k_adam_state_bytes) throw Error("internal: adam_update: the state buffer is too small");
    uint32_t n = layers::u32(param.shape().count());
    UpdatePush push{n, float(o.beta1), float(o.beta2), one_minus(o.beta1), one_minus(o.beta2), float(o.eps),
                    float(o.weight_decay)};
    // Specialisation constants 0-2 are the workgroup size (the shader's default, 64 x 1 x 1); 3,
    // DECOUPLED, picks AdamW's weight decay or Adam's (see adam_update.comp for why it is not a
    // push constant).
    const auto& pipeline = rec.context().pipeline(shaders::adam_update, {64, 1, 1, o.decoupled_weight_decay ? 1u : 0u});
    rec.dispatch_1d(pipeline, {state, param, grad, m, v}, push, n);
}

Adam::Adam(gpu::Context& ctx, const AdamOptions& options)
    : ctx_(ctx), options_(options), state_(ctx.create_buffer(k_adam_state_bytes)) {
    StepState s{};   // t = 0 and c1 = c2 = 1 - beta^0 = 0
    s.lr = options.lr;
    ctx_.upload(state_, &s, sizeof s);
}

void Adam::add(const Tensor& param, const Tensor& grad) {
    layers::require_same_shape("Adam::add", param.shape(), grad.shape());
    Slot slot{&param, &grad, Tensor(ctx_, param.shape()), Tensor(ctx_, param.shape())};
    std::vector<float> zeros(param.shape().count(), 0.0f);
    slot.m.upload(ctx_, zeros);
    slot.v.upload(ctx_, zeros);
    slots_.push_back(std::move(slot));
}

void Adam::record(gpu::Recording& rec) const {
    adam_step(rec, state_, options_);
    for (const auto& s : slots_) adam_update(rec, state_, *s.param, *s.grad, s.m, s.v, options_);
}

void Adam::set_learning_rate(float lr) {
    options_.lr = lr;
    ctx_.upload(state_, &lr, sizeof lr, offsetof(StepState, lr));
}

uint32_t Adam::step_count() const {
    StepState s{};
    ctx_.download(state_, &s, sizeof s);
    return s.t;
}

std::vector<uint32_t> Adam::step_state() const {
    std::vector<uint32_t> words(k_adam_state_bytes / 4);
    ctx_.download(state_, words.data(), k_adam_state_bytes);
    return words;
}

void Adam::set_step_state(const std::vector<uint32_t>& words) {
    if (words.size() * 4 != k_adam_state_bytes)
        throw Error(std::string(options_.decoupled_weight_decay ? "an AdamW" : "an Adam") + " step state has " +
                    std::to_string(k_adam_state_bytes / 4) + " words, got " +
                    std::to_string(words.size()));
    StepState s;
    std::memcpy(&s, words.data(), sizeof s);
    s.lr = options_.lr;   // the learning rate stays the one this optimizer runs with
    ctx_.upload(state_, &s, sizeof s);
}

void Adam::set_moments(size_t i, const HostTensor& m, const HostTensor& v) {
    Slot& slot = slots_.at(i);
    slot.m.upload(ctx_, m);
    slot.v.upload(ctx_, v);
}

} // namespace vkcolor::optim
