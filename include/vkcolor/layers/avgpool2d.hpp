#pragma once
// AvgPool2d(kernel_size=2, stride=2), as PyTorch's F.avg_pool2d(x, 2) (floor mode, no padding):
//   y[n, c, oh, ow] = (x[2oh, 2ow] + x[2oh, 2ow+1] + x[2oh+1, 2ow] + x[2oh+1, 2ow+1]) / 4
// Output: N x C x floor(H/2) x floor(W/2); an odd last row or column is dropped. PyTorch refuses
// an input smaller than 2x2 (the output would be empty), and so do we.
//
// Backward: every element of a window gets dy / 4; the elements of a dropped row or column get 0.
// As in maxpool2d, each invocation owns one 2x2 block of dX and writes all of it: a gather, every
// dX element written once, no zero-fill pass and no atomics.
//
// The GPU forward adds the window row by row in fp32 (`precise`), as PyTorch's CPU kernel does,
// then divides by 4; the CPU reference adds in double. Dividing by 4 is exact, so the backward
// agrees bit for bit (barring subnormals).
#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::layers {

// N x C x floor(H/2) x floor(W/2); throws if H or W is below 2.
Shape avgpool2d_output_shape(const Shape& x);

namespace cpu {
HostTensor avgpool2d_forward(const HostTensor& x);
HostTensor avgpool2d_backward(const Shape& x_shape, const HostTensor& dy);
} // namespace cpu

// y must have avgpool2d_output_shape(x.shape()).
void avgpool2d_forward(gpu::Recording& rec, const Tensor& x, const Tensor& y);
// dx (the forward's input shape) gets dy / 4 over each window and 0 in a dropped row or column.
void avgpool2d_backward(gpu::Recording& rec, const Tensor& dy, const Tensor& dx);

} // namespace vkcolor::layers
