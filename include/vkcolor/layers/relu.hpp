#pragma once
// ReLU: y = max(x, 0); dx = dy * (y > 0).
#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::layers {

namespace cpu {
HostTensor relu_forward(const HostTensor& x);
// The backward takes the forward's output y, as PyTorch does (the gradient at 0 is 0).
HostTensor relu_backward(const HostTensor& y, const HostTensor& dy);
} // namespace cpu

void relu_forward(gpu::Recording& rec, const Tensor& x, const Tensor& y);
void relu_backward(gpu::Recording& rec, const Tensor& y, const Tensor& dy, const Tensor& dx);

} // namespace vkcolor::layers
