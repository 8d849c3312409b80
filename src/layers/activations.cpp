// LeakyReLU, Sigmoid, Tanh: the CPU references and the GPU recordings side by side.
#include "vkcolor/layers/activations.hpp"

#include <cmath>

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/layers/common.hpp"

namespace vkcolor::layers {

HostTensor cpu::leaky_relu_forward(const HostTensor& x, float negative_slope) {
    HostTensor y(x.shape);
    for (size_t i = 0; i < x.data.size(); ++i) y.data[i] = x.data[i] > 0.0f ? x.data[i] : negative_slope * x.data[i];
    return y;
}

HostTensor cpu::leaky_relu_backward(const HostTensor& x, const HostTensor& dy, float negative_slope) {
    require_same_shape("leaky_relu_backward", x.shape, dy.shape);
    HostTensor dx(x.shape);
    for (size_t i = 0; i < x.data.size(); ++i)
        dx.data[i] = x.data[i] > 0.0f ? dy.data[i] : negative_slope * dy.data[i];
    return dx;
}

HostTensor cpu::sigmoid_forward(const HostTensor& x) {
    HostTensor y(x.shape);
    for (size_t i = 0; i < x.data.size(); ++i) {
        double v = x.data[i];
        double e = std::exp(-std::fabs(v));   // never overflows
        y.data[i] = static_cast<float>(v >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e));
    }
    return y;
}

HostTensor cpu::sigmoid_backward(const HostTensor& y, const HostTensor& dy) {
    require_same_shape("sigmoid_backward", y.shape, dy.shape);
    HostTensor dx(y.shape);
    for (size_t i = 0; i < y.data.size(); ++i) {
        double v = y.data[i];
        dx.data[i] = static_cast<float>(double(dy.data[i]) * v * (1.0 - v));
    }
    return dx;
}

HostTensor cpu::tanh_forward(const HostTensor& x) {
    HostTensor y(x.shape);
    for (size_t i = 0; i < x.data.size(); ++i) y.data[i] = static_cast<float>(std::tanh(double(x.data[i])));
    return y;
}

HostTensor cpu::tanh_backward(const HostTensor& y, const HostTensor& dy) {
    require_same_shape("tanh_backward", y.shape, dy.shape);
    HostTensor dx(y.shape);
    for (size_t i = 0; i < y.data.size(); ++i) {
        double v = y.data[i];
        dx.data[i] = static_cast<float>(double(dy.data[i]) * (1.0 - v * v));
    }
    return dx;
}

namespace {
struct Push {
    uint32_t n;
};
struct SlopePush {
    uint32_t n;
    float negative_slope;
};

void unary(gpu::Recording& rec, shaders::Name shader, const Tensor& x, const Tensor& y) {
    require_same_shape(shader.text, x.shape(), y.shape());
    uint32_t n = u32(x.shape().count());
    rec.dispatch_1d(rec.context().pipeline(shader), {x, y}, Push{n}, n);
}

// dx from (a, dy) where a is the forward's input or output, as the op's backward needs.
void unary_backward(gpu::Recording& rec, shaders::Name shader, const Tensor& a, const Tensor& dy, const Tensor& dx) {
    require_same_shape(shader.text, a.shape(), dy.shape());
    require_same_shape(shader.text, a.shape(), dx.shape());
    uint32_t n = u32(a.shape().count());
    rec.dispatch_1d(rec.context().pipeline(shader), {a, dy, dx}, Push{n}, n);
}
} // namespace

void leaky_relu_forward(gpu::Recording& rec, const Tensor& x, const Tensor& y, float negative_slope) {
    require_same_shape("leaky_relu_forward", x.shape(), y.shape());
    uint32_t n = u32(x.shape().count());
    rec.dispatch_1d(rec.context().pipeline(shaders::leaky_relu_forward), {x, y}, SlopePush{n, negative_slope}, n);
}

void leaky_relu_backward(gpu::Recording& rec, const Tensor& x, const Tensor& dy, const Tensor& dx,
                         float negative_slope) {
    require_same_shape("leaky_relu_backward", x.shape(), dy.shape());
    require_same_shape("leaky_relu_backward", x.shape(), dx.shape());
    uint32_t n = u32(x.shape().count());
    rec.dispatch_1d(rec.context().pipeline(shaders::leaky_relu_backward), {x, dy, dx}, SlopePush{n, negative_slope}, n);
}

void sigmoid_forward(gpu::Recording& rec, const Tensor& x, const Tensor& y) { unary(rec, shaders::sigmoid_forward, x, y); }
void sigmoid_backward(gpu::Recording& rec, const Tensor& y, const Tensor& dy, const Tensor& dx) {
    unary_backward(rec, shaders::sigmoid_backward, y, dy, dx);
}
void tanh_forward(gpu::Recording& rec, const Tensor& x, const Tensor& y) { unary(rec, shaders::tanh_forward, x, y); }
void tanh_backward(gpu::Recording& rec, const Tensor& y, const Tensor& dy, const Tensor& dx) {
    unary_backward(rec, shaders::tanh_backward, y, dy, dx);
}

} // namespace vkcolor::layers
