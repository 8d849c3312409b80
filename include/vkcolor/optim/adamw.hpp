#pragma once
// AdamW with torch.optim.AdamW (1.13) semantics, amsgrad and maximize off: Adam with decoupled
// weight decay. For each parameter tensor p with gradient g, moments m and v (zero at the start)
// and step t = 1, 2, ...:
//   p = p * (1 - lr * weight_decay)             (decay first, never through the gradient)
//   m = beta1 * m + (1 - beta1) * g
//   v = beta2 * v + (1 - beta2) * g * g
//   p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
// The default weight decay is PyTorch's 0.01.
//
// Record once, replay every step: the step state is optim::Adam's (same layout, advanced by
// adam_step: t, the bias corrections by recurrence in fp32, lr; see adam.hpp for their precision),
// then one adamw_update per parameter tensor, which takes lr * weight_decay from it too, so a new
// learning rate changes the decay as in PyTorch.
#include <cstdint>
#include <vector>

#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/optim/adam.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::optim {

struct AdamWOptions {
    float lr = 1e-3f;
    double beta1 = 0.9, beta2 = 0.999;
    double eps = 1e-8;
    double weight_decay = 0.01;
};

namespace cpu {
// One step of torch.optim.AdamW on one tensor, in place. `step` is t after the increment (1 on
// the first step). Bias corrections and element arithmetic in double.
void adamw_update(HostTensor& param, const HostTensor& grad, HostTensor& m, HostTensor& v, uint32_t step, float lr,
                  const AdamWOptions& o);
} // namespace cpu

// Records the update of one parameter tensor (param, m and v in place) from a step state that
// adam_step (adam.hpp) advanced with the same betas.
void adamw_update(gpu::Recording& rec, const gpu::Buffer& state, const Tensor& param, const Tensor& grad,
                  const Tensor& m, const Tensor& v, const AdamWOptions& o);

// The optimizer for a model: owns the step state and the moments of every parameter. The same
// interface as optim::Adam.
class AdamW {
public:
    AdamW(gpu::Context& ctx, const AdamWOptions& options);

    // Registers a parameter and its gradient; its moments start at zero. Both tensors must stay
    // where they are for as long as recordings of this optimizer are replayed.
    void add(const Tensor& param, const Tensor& grad);
    // Records one optimisation step of every registered parameter (adam_step, then one
    // adamw_update each).
    void record(gpu::Recording& rec) const;

    // Written to the step state now (waits for the GPU to be idle); used from the next step on.
    void set_learning_rate(float lr);
    float learning_rate() const { return options_.lr; }
    uint32_t step_count() const;   // read back from the GPU: steps run so far

    // The step state exactly as the GPU holds it and the moments, for an exact resume (the
    // learning rate stays this optimizer's), as optim::Adam.
    std::vector<uint32_t> step_state() const;
    void set_step_state(const std::vector<uint32_t>& words);
    void set_moments(size_t i, const HostTensor& m, const HostTensor& v);

    size_t size() const { return slots_.size(); }
    const Tensor& exp_avg(size_t i) const { return slots_.at(i).m; }
    const Tensor& exp_avg_sq(size_t i) const { return slots_.at(i).v; }
    const AdamWOptions& options() const { return options_; }

private:
    struct Slot {
        const Tensor* param;
        const Tensor* grad;
        Tensor m, v;
    };
    AdamOptions step_options() const;   // the betas adam_step needs
    gpu::Context& ctx_;
    AdamWOptions options_;
    gpu::Buffer state_;
    std::vector<Slot> slots_;
};

} // namespace vkcolor::optim
