#pragma once
// nn.Upsample(scale_factor=2, mode='bilinear', align_corners=False), output N x C x 2H x 2W.
//
// Along each axis, output index d reads the input at the source coordinate
//   src = max((d + 0.5) / 2 - 0.5, 0),  i0 = floor(src),  i1 = min(i0 + 1, size - 1),
//   weights l0 = 1 - (src - i0) on i0 and l1 = src - i0 on i1
// (PyTorch's area_pixel_compute_source_index; the clamp at 0 makes the first output copy the
// first input, and at the last input i1 = i0 carries both weights). The weights are 0, 1/4, 3/4
// or 1, exact in fp32. y = sum over the 2x2 taps of l_h * l_w * x.
//
// Backward as a gather: one invocation per dX element, which visits the outputs that can read it
// (at most 4 per axis: d = 2i-1 .. 2i+2) and adds their dy times the weight that output gave this
// element (0 if none), row by row in a fixed order: no atomics. PyTorch scatters instead; the
// CPU reference scatters too (in double), so the check compares the two formulations.
#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::layers {

Shape upsample_bilinear2d_output_shape(const Shape& x);   // N x C x 2H x 2W

namespace cpu {
HostTensor upsample_bilinear2d_forward(const HostTensor& x);
HostTensor upsample_bilinear2d_backward(const HostTensor& dy);   // dy is N x C x 2H x 2W
} // namespace cpu

void upsample_bilinear2d_forward(gpu::Recording& rec, const Tensor& x, const Tensor& y);
void upsample_bilinear2d_backward(gpu::Recording& rec, const Tensor& dy, const Tensor& dx);

} // namespace vkcolor::layers
