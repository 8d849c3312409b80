#pragma once
// Flatten (nn.Flatten / torch.flatten(x, 1)): N x C x H x W -> N x (C*H*W) x 1 x 1, and its
// backward, the reshape of dy back to the input's shape.
//
// NCHW is contiguous, so both are the same bytes under another shape: on the GPU flatten is a
// zero-copy view (Tensor::view) and records nothing. For the scheduler it is an op with no
// dispatch: its output tensor is flatten(x), a view sharing x's buffer, and the gradient of x is
// unflatten(dy) of the gradient of the output, again a view. A writer of either name writes
// the other; the recorder's barriers know (they are keyed on the VkBuffer both share).
#include "vkcolor/tensor.hpp"

namespace vkcolor::layers {

// N x (C*H*W) x 1 x 1.
Shape flatten_shape(const Shape& input);

namespace cpu {
// The same values under the flattened shape (a copy: host tensors own their data).
HostTensor flatten(const HostTensor& x);
// dX = dY with the input's shape; throws vkcolor::Error("internal: ...") if dy is not
// flatten_shape(input).
HostTensor flatten_backward(const HostTensor& dy, const Shape& input);
} // namespace cpu

// Views sharing the argument's buffer: no copy, no dispatch.
Tensor flatten(const Tensor& x);
Tensor flatten_backward(const Tensor& dy, const Shape& input);

} // namespace vkcolor::layers
