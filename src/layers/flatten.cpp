// Flatten: the CPU reference and the GPU view side by side (no shader: the bytes do not move).
#include "vkcolor/layers/flatten.hpp"

#include "vkcolor/layers/common.hpp"

namespace vkcolor::layers {

Shape flatten_shape(const Shape& input) { return {input.n, u32(size_t(input.c) * input.h * input.w), 1, 1}; }

HostTensor cpu::flatten(const HostTensor& x) {
    HostTensor y;
    y.shape = flatten_shape(x.shape);
    y.data = x.data;
    return y;
}

HostTensor cpu::flatten_backward(const HostTensor& dy, const Shape& input) {
    require_same_shape("flatten_backward", dy.shape, flatten_shape(input));
    HostTensor dx;
    dx.shape = input;
    dx.data = dy.data;
    return dx;
}

Tensor flatten(const Tensor& x) { return x.view(flatten_shape(x.shape())); }

Tensor flatten_backward(const Tensor& dy, const Shape& input) {
    require_same_shape("flatten_backward", dy.shape(), flatten_shape(input));
    return dy.view(input);
}

} // namespace vkcolor::layers
