#pragma once
// Element-wise activations, with PyTorch's semantics (1.13):
//   LeakyReLU  y = x if x > 0 else slope * x      dx = dy if x > 0 else slope * dy
//              (the backward takes the input x, as PyTorch's leaky_relu_backward: the gradient at
//              x = 0 is slope; any slope, negative ones included)
//   Sigmoid    y = 1 / (1 + exp(-x))               dx = dy * y * (1 - y)   (from the output y)
//   Tanh       y = tanh(x)                         dx = dy * (1 - y^2)     (from the output y)
// The shaders evaluate sigmoid and tanh from exp(-|x|) only, so no exp overflows for large |x|
// (no inf/inf = NaN); tanh near 0 uses its odd series, which 1 - t cancellation would spoil.
#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::layers {

namespace cpu {
HostTensor leaky_relu_forward(const HostTensor& x, float negative_slope);
HostTensor leaky_relu_backward(const HostTensor& x, const HostTensor& dy, float negative_slope);
HostTensor sigmoid_forward(const HostTensor& x);
HostTensor sigmoid_backward(const HostTensor& y, const HostTensor& dy);
HostTensor tanh_forward(const HostTensor& x);
HostTensor tanh_backward(const HostTensor& y, const HostTensor& dy);
} // namespace cpu

void leaky_relu_forward(gpu::Recording& rec, const Tensor& x, const Tensor& y, float negative_slope);
void leaky_relu_backward(gpu::Recording& rec, const Tensor& x, const Tensor& dy, const Tensor& dx,
                         float negative_slope);
void sigmoid_forward(gpu::Recording& rec, const Tensor& x, const Tensor& y);
void sigmoid_backward(gpu::Recording& rec, const Tensor& y, const Tensor& dy, const Tensor& dx);
void tanh_forward(gpu::Recording& rec, const Tensor& x, const Tensor& y);
void tanh_backward(gpu::Recording& rec, const Tensor& y, const Tensor& dy, const Tensor& dx);

} // namespace vkcolor::layers
