#pragma once
// MaxPool2d(kernel_size=2, stride=2), as PyTorch's F.max_pool2d(x, 2, return_indices=True).
//
// Output: N x C x floor(H/2) x floor(W/2); an odd last row or column is dropped. PyTorch refuses
// an input smaller than 2x2 (the output would be empty), and so do we.
//
// Winner of a window, scanned row by row: it starts at the window's first element with max
// -inf, and an element takes over when `value > max || isnan(value)` (PyTorch's kernels). So of
// equal maxima the FIRST in scan order wins, and a NaN always wins (the LAST NaN, if several).
//
// Indices: for every output element, the flat index h * W + w of its winner inside the input
// plane (what return_indices gives, so a MaxUnpool2d can use them). They are uint32 in a plain
// gpu::Buffer, not a float Tensor of exact integers: floats are exact only below 2^24 and an
// index is never arithmetic, so an integer type says what it is, compares exactly in the
// backward's gather, and cannot be fed to a float op by mistake. Same 4 bytes either way.
//
// Backward: dX is zero except dX[n, c, winner] = dy[n, c, oh, ow]. It is a gather from dX's side:
// each invocation owns one 2x2 block of dX (a window, or the part of a dropped odd row or column)
// and writes all of it, dy where the element is the window's winner and 0 elsewhere. Every dX
// element is written once, so no zero-fill pass and no atomics.
#include <cstdint>
#include <vector>

#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::layers {

// N x C x floor(H/2) x floor(W/2); throws if H or W is below 2.
Shape maxpool2d_output_shape(const Shape& x);

namespace cpu {
struct MaxPool2dResult {
    HostTensor y;
    std::vector<uint32_t> indices;   // one per element of y, in y's order
};
MaxPool2dResult maxpool2d_forward(const HostTensor& x);
HostTensor maxpool2d_backward(const Shape& x_shape, const std::vector<uint32_t>& indices, const HostTensor& dy);
} // namespace cpu

// A device buffer for the indices of an output of shape y (one uint32 per element).
gpu::Buffer make_maxpool2d_indices(gpu::Context& ctx, const Shape& y);

// y must have maxpool2d_output_shape(x.shape()); indices is y.count() uint32s.
void maxpool2d_forward(gpu::Recording& rec, const Tensor& x, const Tensor& y, const gpu::Buffer& indices);
// dx (the forward's input shape) gets dy at each window's winner and 0 elsewhere.
void maxpool2d_backward(gpu::Recording& rec, const gpu::Buffer& indices, const Tensor& dy, const Tensor& dx);

} // namespace vkcolor::layers
