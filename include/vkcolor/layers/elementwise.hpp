#pragma once
// Element-wise arithmetic on tensors of one shape.
#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::layers {

namespace cpu {
HostTensor add(const HostTensor& a, const HostTensor& b);
} // namespace cpu

// y = a + b. y may not alias a or b (the shader declares them readonly and y writeonly).
void add(gpu::Recording& rec, const Tensor& a, const Tensor& b, const Tensor& y);

} // namespace vkcolor::layers
