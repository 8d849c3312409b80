#pragma once
// SGD with torch.optim.SGD (1.13) semantics, maximize off. For each parameter tensor p with
// gradient g and step t = 1, 2, ...:
//   g = g + weight_decay * p                          (if weight_decay is not 0)
//   with momentum (momentum > 0), a momentum buffer b per parameter:
//     b = g on the first step, else b = momentum * b + (1 - dampening) * g
//     g = g + momentum * b if nesterov, else g = b
//   p = p - lr * g
// PyTorch takes "first step" from the buffer not existing yet; every parameter here is updated
// on every step, so that is t == 1 and the GPU reads it from the step counter in the step state.
// As PyTorch, nesterov needs momentum > 0 and dampening 0 (the constructor throws otherwise).
//
// Record once, replay every step, like optim::Adam: each replay first runs sgd_step (one
// invocation: t += 1), then one update per parameter tensor reading lr and t from the step state
// (sgd_update without momentum, which keeps no buffers; sgd_momentum_update with). The host
// writes only the learning rate, and only when it changes.
#include <cstdint>
#include <vector>

#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::optim {

struct SgdOptions {
    float lr = 0.01f;
    double momentum = 0.0;
    double dampening = 0.0;
    double weight_decay = 0.0;
    bool nesterov = false;
};

namespace cpu {
// One step of torch.optim.SGD on one tensor, in place, in double. `step` is t after the
// increment (1 on the first step); `momentum_buffer` is used (and must have param's shape) only
// when o.momentum is not 0.
void sgd_update(HostTensor& param, const HostTensor& grad, HostTensor& momentum_buffer, uint32_t step, float lr,
                const SgdOptions& o);
} // namespace cpu

// The GPU step state, k_sgd_state_bytes of it: {float lr; uint t; two unused words}.
constexpr size_t k_sgd_state_bytes = 4 * sizeof(float);

// Records t += 1 (run once per step, before the updates).
void sgd_step(gpu::Recording& rec, const gpu::Buffer& state);
// Records the update of one parameter tensor in place from the state; `momentum_buffer` must be
// given exactly when o.momentum is not 0.
void sgd_update(gpu::Recording& rec, const gpu::Buffer& state, const Tensor& param, const Tensor& grad,
                const Tensor* momentum_buffer, const SgdOptions& o);

// The optimizer for a model: owns the step state and the momentum buffers.
class Sgd {
public:
    // Throws vkcolor::Error on options PyTorch rejects (negative values, nesterov without
    // momentum or with dampening).
    Sgd(gpu::Context& ctx, const SgdOptions& options);

    // Registers a parameter and its gradient (with momentum, its buffer starts at zero and is
    // overwritten on the first step). Both tensors must stay where they are for as long as
    // recordings of this optimizer are replayed.
    void add(const Tensor& param, const Tensor& grad);
    // Records one optimisation step of every registered parameter.
    void record(gpu::Recording& rec) const;

    // Written to the step state now (waits for the GPU to be idle); used from the next step on.
    void set_learning_rate(float lr);
    float learning_rate() const { return options_.lr; }
    uint32_t step_count() const;   // read back from the GPU: steps run so far

    // The step state as the GPU holds it and the momentum buffers: saved with a checkpoint and
    // restored as they were (but for the learning rate, which stays this optimizer's), so a
    // resumed run continues bit for bit.
    std::vector<uint32_t> step_state() const;
    void set_step_state(const std::vector<uint32_t>& words);
    void set_momentum_buffer(size_t i, const HostTensor& b);   // throws without momentum

    size_t size() const { return slots_.size(); }
    bool has_momentum() const { return options_.momentum != 0.0; }
    const Tensor& momentum_buffer(size_t i) const;   // throws without momentum
    const SgdOptions& options() const { return options_; }

private:
    struct Slot {
        const Tensor* param;
        const Tensor* grad;
        Tensor buffer;   // empty without momentum
    };
    gpu::Context& ctx_;
    SgdOptions options_;
    gpu::Buffer state_;
    std::vector<Slot> slots_;
};

} // namespace vkcolor::optim
