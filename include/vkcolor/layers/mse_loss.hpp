#pragma once
// Mean squared error, as nn.MSELoss() (reduction "mean"):
//   loss  = sum over all elements of (pred - target)^2 / numel        (Shape{1, 1, 1, 1})
//   dPred = 2 * (pred - target) / numel                                (the gradient of loss)
// The loss is the last node of the graph, so the backward takes no upstream gradient (it is 1).
#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::layers {

namespace cpu {
HostTensor mse_loss_forward(const HostTensor& pred, const HostTensor& target);
HostTensor mse_loss_backward(const HostTensor& pred, const HostTensor& target);
} // namespace cpu

// Deterministic: fixed-order partial sums per workgroup (mse_loss_forward), then sum_partials.
void mse_loss_forward(gpu::Recording& rec, const Tensor& pred, const Tensor& target, const Tensor& loss);
void mse_loss_backward(gpu::Recording& rec, const Tensor& pred, const Tensor& target, const Tensor& dpred);

} // namespace vkcolor::layers
