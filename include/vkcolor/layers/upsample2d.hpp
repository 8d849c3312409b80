#pragma once
// nn.Upsample(scale_factor=2, mode='nearest'): y[n, c, h, w] = x[n, c, h/2, w/2] (output 2H x 2W).
// Backward: dx[n, c, i, j] = sum of the 2x2 block dy[n, c, 2i..2i+1, 2j..2j+1].
//
// Both directions give each invocation one element of the small side (x or dx) and its 2x2 block
// of the large side: each output element is written by exactly one invocation, so no atomics. The GPU
// backward adds the block in PyTorch's order, row by row, in fp32 (`precise`); the CPU reference
// adds in double, as every reference here does (they differ by at most an ulp or so).
#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::layers {

Shape upsample_nearest2d_output_shape(const Shape& x);   // N x C x 2H x 2W

namespace cpu {
HostTensor upsample_nearest2d_forward(const HostTensor& x);
HostTensor upsample_nearest2d_backward(const HostTensor& dy);   // dy is N x C x 2H x 2W
} // namespace cpu

void upsample_nearest2d_forward(gpu::Recording& rec, const Tensor& x, const Tensor& y);
void upsample_nearest2d_backward(gpu::Recording& rec, const Tensor& dy, const Tensor& dx);

} // namespace vkcolor::layers
