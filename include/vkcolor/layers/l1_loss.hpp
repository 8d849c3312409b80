#pragma once
// Mean absolute error, as nn.L1Loss() (reduction "mean"):
//   loss  = sum over all elements of |pred - target| / numel          (Shape{1, 1, 1, 1})
//   dPred = sign(pred - target) / numel                                (the gradient of loss)
// with PyTorch's sign(0) = 0: where pred == target the gradient is 0. The sign is taken by
// comparing pred with target, which is the sign of the exact difference (a subtraction could
// flush a tiny difference to 0 on a device without denormals).
// The loss is the last node of the graph, so the backward takes no upstream gradient (it is 1).
#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::layers {

namespace cpu {
HostTensor l1_loss_forward(const HostTensor& pred, const HostTensor& target);
HostTensor l1_loss_backward(const HostTensor& pred, const HostTensor& target);
} // namespace cpu

// Deterministic: fixed-order partial sums per workgroup (l1_loss_forward), then sum_partials.
void l1_loss_forward(gpu::Recording& rec, const Tensor& pred, const Tensor& target, const Tensor& loss);
void l1_loss_backward(gpu::Recording& rec, const Tensor& pred, const Tensor& target, const Tensor& dpred);

} // namespace vkcolor::layers
