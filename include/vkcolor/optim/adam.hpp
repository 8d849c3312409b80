#pragma once
// Adam and AdamW, one optimizer: torch.optim.Adam and torch.optim.AdamW (1.13) semantics, amsgrad
// and maximize off. They differ only in how the weight decay is applied
// (AdamOptions::decoupled_weight_decay), so they share everything else: the options, the step
// state, the CPU reference, the shader and the resume state. For each parameter tensor p with
// gradient g, moments m and v (zero at the start) and step t = 1, 2, ...:
//   Adam:  g = g + weight_decay * p               (L2 penalty added to the gradient, if not 0)
//   AdamW: p = p * (1 - lr * weight_decay)        (decoupled: decay first, never through the gradient)
//   m = beta1 * m + (1 - beta1) * g
//   v = beta2 * v + (1 - beta2) * g * g
//   p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
// AdamW's lr is the current one (from the step state), so a new learning rate changes the decay
// too, as in PyTorch.
//
// Record once, replay every step. What changes per step (t, the bias corrections, the learning
// rate) lives in a small GPU buffer, the step state: each replay first runs adam_step (one
// invocation: t += 1, the corrections for the new t), then one adam_update per parameter tensor
// reading the state. The host writes only the learning rate, and only when it changes.
//
// Precision: PyTorch computes 1 - beta^t in double. The GPU keeps c_t = 1 - beta^t in fp32 by the
// recurrence c_t = (1 - beta) + beta * c_{t-1}, c_0 = 0, with 1 - beta rounded once on the host:
// only positive terms, so no cancellation (1 - pow(beta2, t) in fp32 would lose ~5 digits for
// beta2 = 0.999 and small t). Its relative error grows by at most about one ulp per step and is
// bounded by about 1/(1 - beta) ulps.
#include <cstdint>
#include <vector>

#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::optim {

struct AdamOptions {
    float lr = 1e-3f;
    double beta1 = 0.9, beta2 = 0.999;
    double eps = 1e-8;
    double weight_decay = 0.0;
    // false: Adam, the weight decay is an L2 penalty added to the gradient (so it also passes
    // through the moments); true: AdamW, the parameter itself is scaled by 1 - lr * weight_decay
    // before the Adam step (Loshchilov & Hutter's decoupled weight decay).
    bool decoupled_weight_decay = false;
};

// torch.optim.AdamW's defaults: decoupled weight decay, and PyTorch's default weight decay for
// AdamW, 0.01 (Adam's is 0). What `--optimizer adamw` starts from.
inline AdamOptions adamw_defaults() {
    AdamOptions o;
    o.weight_decay = 0.01;
    o.decoupled_weight_decay = true;
    return o;
}

namespace cpu {
// One step of torch.optim.Adam (or AdamW, if o.decoupled_weight_decay) on one tensor, in place.
// `step` is t after the increment (1 on the first step). Bias corrections in double, as PyTorch;
// element arithmetic in double.
void adam_update(HostTensor& param, const HostTensor& grad, HostTensor& m, HostTensor& v, uint32_t step, float lr,
                 const AdamOptions& o);
} // namespace cpu

// The GPU step state, k_adam_state_bytes of it: {float lr; uint t; float c1, c2 (1 - beta^t);
// float step_size (lr / c1); float c2_sqrt}. Created by Adam; exposed for the record functions.
constexpr size_t k_adam_state_bytes = 8 * sizeof(float);

// Records t += 1 and the bias corrections for the new t (run once per step, before the updates).
void adam_step(gpu::Recording& rec, const gpu::Buffer& state, const AdamOptions& o);
// Records the update of one parameter tensor (param, m and v in place) from the state, with the
// weight decay o.decoupled_weight_decay says.
void adam_update(gpu::Recording& rec, const gpu::Buffer& state, const Tensor& param, const Tensor& grad,
                 const Tensor& m, const Tensor& v, const AdamOptions& o);

// The optimizer for a model (Adam or AdamW, as its options say): owns the step state and the
// moments of every parameter.
class Adam {
public:
    Adam(gpu::Context& ctx, const AdamOptions& options);

    // Registers a parameter and its gradient; its moments start at zero. Both tensors must stay
    // where they are for as long as recordings of this optimizer are replayed.
    void add(const Tensor& param, const Tensor& grad);
    // Records one optimisation step of every registered parameter (adam_step, then one
    // adam_update each; the updates need no barriers between them).
    void record(gpu::Recording& rec) const;

    // Written to the step state now (waits for the GPU to be idle); used from the next step on.
    void set_learning_rate(float lr);
    float learning_rate() const { return options_.lr; }
    uint32_t step_count() const;   // read back from the GPU: steps run so far

    // The step state exactly as the GPU holds it (lr, t and the bias corrections it computed),
    // and the moments: saved with a checkpoint and restored as they were (but for the learning
    // rate, which stays this optimizer's), so a resumed run continues bit for bit.
    std::vector<uint32_t> step_state() const;
    void set_step_state(const std::vector<uint32_t>& words);
    void set_moments(size_t i, const HostTensor& m, const HostTensor& v);

    size_t size() const { return slots_.size(); }
    const Tensor& exp_avg(size_t i) const { return slots_.at(i).m; }
    const Tensor& exp_avg_sq(size_t i) const { return slots_.at(i).v; }
    const AdamOptions& options() const { return options_; }

private:
    struct Slot {
        const Tensor* param;
        const Tensor* grad;
        Tensor m, v;
    };
    gpu::Context& ctx_;
    AdamOptions options_;
    gpu::Buffer state_;
    std::vector<Slot> slots_;
};

} // namespace vkcolor::optim
