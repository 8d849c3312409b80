// AdamW: the CPU reference and the GPU recording side by side. The step state and its shader
// (adam_step) are Adam's.
#include "vkcolor/optim/adamw.hpp"

#include <cmath>
#include <cstring>

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/layers/common.hpp"

namespace vkcolor::optim {

void cpu::adamw_update(HostTensor& param, const HostTensor& grad, HostTensor& m, HostTensor& v, uint32_t step,
                       float lr, const AdamWOptions& o) {
    layers::require_same_shape("adamw_update", param.shape, grad.shape);
    layers::require_same_shape("adamw_update", param.shape, m.shape);
    layers::require_same_shape("adamw_update", param.shape, v.shape);
    if (step == 0) throw Error("internal: adamw_update: steps count from 1");
    double decay = 1.0 - double(lr) * o.weight_decay;
    double bias_correction1 = 1.0 - std::pow(o.beta1, double(step));
    double bias_correction2_sqrt = std::sqrt(1.0 - std::pow(o.beta2, double(step)));
    double step_size = double(lr) / bias_correction1;
    for (size_t i = 0; i < param.data.size(); ++i) {
        double p = param.data[i] * decay;
        double g = grad.data[i];
        double mi = o.beta1 * m.data[i] + (1.0 - o.beta1) * g;
        double vi = o.beta2 * v.data[i] + (1.0 - o.beta2) * g * g;
        m.data[i] = static_cast<float>(mi);
        v.data[i] = static_cast<float>(vi);
        param.data[i] = static_cast<float>(p - step_size * mi / (std::sqrt(vi) / bias_correction2_sqrt + o.eps));
    }
}

namespace {
struct UpdatePush {
    uint32_t n;
    float beta1, beta2, one_minus_beta1, one_minus_beta2, eps, weight_decay;
};
// Adam's step state: lr is its first word and t its second (adam.hpp, adam_step.comp).
constexpr size_t k_lr_offset = 0, k_t_offset = sizeof(float);
} // namespace

void adamw_update(gpu::Recording& rec, const gpu::Buffer& state, const Tensor& param, const Tensor& grad,
                  const Tensor& m, const Tensor& v, const AdamWOptions& o) {
    layers::require_same_shape("adamw_update", param.shape(), grad.shape());
    layers::require_same_shape("adamw_update", param.shape(), m.shape());
    layers::require_same_shape("adamw_update", param.shape(), v.shape());
    if (state.size() < k_adam_state_bytes) throw Error("internal: adamw_update: the state buffer is too small");
    uint32_t n = layers::u32(param.shape().count());
    // 1 - beta is rounded from double once, as PyTorch passes it to its kernels.
    UpdatePush push{n,
                    float(o.beta1),
                    float(o.beta2),
                    float(1.0 - o.beta1),
                    float(1.0 - o.beta2),
                    float(o.eps),
                    float(o.weight_decay)};
    rec.dispatch_1d(rec.context().pipeline("adamw_update"), {state, param, grad, m, v}, push, n);
}

AdamW::AdamW(gpu::Context& ctx, const AdamWOptions& options)
    : ctx_(ctx), options_(options), state_(ctx.create_buffer(k_adam_state_bytes)) {
    std::vector<uint32_t> words(k_adam_state_bytes / 4, 0);   // t = 0 and c1 = c2 = 1 - beta^0 = 0
    std::memcpy(&words[k_lr_offset / 4], &options.lr, sizeof(float));
    ctx_.upload(state_, words.data(), k_adam_state_bytes);
}

AdamOptions AdamW::step_options() const {
    AdamOptions o;
    o.lr = options_.lr;
    o.beta1 = options_.beta1;
    o.beta2 = options_.beta2;
    o.eps = options_.eps;
    return o;
}

void AdamW::add(const Tensor& param, const Tensor& grad) {
    layers::require_same_shape("AdamW::add", param.shape(), grad.shape());
    Slot slot{&param, &grad, Tensor(ctx_, param.shape()), Tensor(ctx_, param.shape())};
    std::vector<float> zeros(param.shape().count(), 0.0f);
    slot.m.upload(ctx_, zeros);
    slot.v.upload(ctx_, zeros);
    slots_.push_back(std::move(slot));
}

void AdamW::record(gpu::Recording& rec) const {
    adam_step(rec, state_, step_options());
    for (const auto& s : slots_) adamw_update(rec, state_, *s.param, *s.grad, s.m, s.v, options_);
}

void AdamW::set_learning_rate(float lr) {
    options_.lr = lr;
    ctx_.upload(state_, &lr, sizeof lr, k_lr_offset);
}

uint32_t AdamW::step_count() const {
    uint32_t t = 0;
    ctx_.download(state_, &t, sizeof t, k_t_offset);
    return t;
}

std::vector<uint32_t> AdamW::step_state() const {
    std::vector<uint32_t> words(k_adam_state_bytes / 4);
    ctx_.download(state_, words.data(), k_adam_state_bytes);
    return words;
}

void AdamW::set_step_state(const std::vector<uint32_t>& words) {
    if (words.size() * 4 != k_adam_state_bytes)
        throw Error("an AdamW step state has " + std::to_string(k_adam_state_bytes / 4) + " words, got " +
                    std::to_string(words.size()));
    std::vector<uint32_t> w = words;
    std::memcpy(&w[k_lr_offset / 4], &options_.lr, sizeof(float));   // the learning rate stays this optimizer's
    ctx_.upload(state_, w.data(), k_adam_state_bytes);
}

void AdamW::set_moments(size_t i, const HostTensor& m, const HostTensor& v) {
    Slot& slot = slots_.at(i);
    slot.m.upload(ctx_, m);
    slot.v.upload(ctx_, v);
}

} // namespace vkcolor::optim
