// ReLU: the CPU reference and the GPU recording side by side.
#include "vkcolor/layers/relu.hpp"

#include <algorithm>

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/layers/common.hpp"

namespace vkcolor::layers {

HostTensor cpu::relu_forward(const HostTensor& x) {
    HostTensor y(x.shape);
    for (size_t i = 0; i < x.data.size(); ++i) y.data[i] = std::max(x.data[i], 0.0f);
    return y;
}

HostTensor cpu::relu_backward(const HostTensor& y, const HostTensor& dy) {
    require_same_shape("relu_backward", y.shape, dy.shape);
    HostTensor dx(y.shape);
    for (size_t i = 0; i < y.data.size(); ++i) dx.data[i] = y.data[i] > 0.0f ? dy.data[i] : 0.0f;
    return dx;
}

namespace {
struct Push {
    uint32_t n4;   // vec4s (the shaders take four elements an invocation)
};
} // namespace

void relu_forward(gpu::Recording& rec, const Tensor& x, const Tensor& y) {
    require_same_shape("relu_forward", x.shape(), y.shape());
    uint32_t n4 = u32((x.shape().count() + 3) / 4);
    rec.dispatch_1d(rec.context().pipeline(shaders::relu_forward), {x, y}, Push{n4}, n4);
}

void relu_backward(gpu::Recording& rec, const Tensor& y, const Tensor& dy, const Tensor& dx) {
    require_same_shape("relu_backward", y.shape(), dy.shape());
    require_same_shape("relu_backward", y.shape(), dx.shape());
    uint32_t n4 = u32((y.shape().count() + 3) / 4);
    rec.dispatch_1d(rec.context().pipeline(shaders::relu_backward), {y, dy, dx}, Push{n4}, n4);
}

} // namespace vkcolor::layers
