#pragma once
// MaxUnpool2d(kernel_size=2, stride=2), as PyTorch's F.max_unpool2d(x, indices, 2, output_size=...),
// with the indices layers::maxpool2d_forward wrote (flat h * W + w in the output plane, uint32).
//
// Forward: y (N x C x H x W, the pool's input size, given explicitly as PyTorch's output_size) is
// zero except y[n, c, indices[n, c, oh, ow]] = x[n, c, oh, ow]. x must be N x C x floor(H/2) x
// floor(W/2), i.e. maxpool2d_output_shape(y).
// Backward: dx[n, c, oh, ow] = dy[n, c, indices[n, c, oh, ow]], a gather.
//
// Precondition: every index lies inside its own 2x2 window, as the max-pool's do. (PyTorch accepts
// any index in the plane; with overlapping indices its result depends on write order.) Then the
// forward is exactly max-pool's backward with x in dy's place, and the GPU forward records that
// same dispatch (shaders/maxpool2d_backward.comp: one invocation per 2x2 block of y, every element
// written once, no zero-fill pass, no atomics). The CPU reference is a plain scatter and refuses an
// index outside its window.
#include <cstdint>
#include <vector>

#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::layers {

namespace cpu {
// `output` is the pool's input shape (PyTorch's output_size plus N and C).
HostTensor maxunpool2d_forward(const HostTensor& x, const std::vector<uint32_t>& indices, const Shape& output);
// dx has the shape maxpool2d_output_shape(dy.shape).
HostTensor maxunpool2d_backward(const HostTensor& dy, const std::vector<uint32_t>& indices);
} // namespace cpu

// y's shape is the output size; x must have maxpool2d_output_shape(y.shape()); indices is
// x.count() uint32s (as from make_maxpool2d_indices).
void maxunpool2d_forward(gpu::Recording& rec, const Tensor& x, const gpu::Buffer& indices, const Tensor& y);
void maxunpool2d_backward(gpu::Recording& rec, const gpu::Buffer& indices, const Tensor& dy, const Tensor& dx);

} // namespace vkcolor::layers
