// Linear (nn.Linear): the CPU reference and the GPU recording side by side.
#include "vkcolor/layers/linear.hpp"

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/layers/common.hpp"
#include "vkcolor/layers/reduce.hpp"

namespace vkcolor::layers {

Shape LinearParams::output_shape(const Shape& input) const {
    if (input.c != in_features || input.h != 1 || input.w != 1)
        throw Error("linear: the input is " + input.str() + ", expected N x " + std::to_string(in_features) +
                    " x 1 x 1 (flatten a feature map first)");
    return {input.n, out_features, 1, 1};
}

HostTensor cpu::linear_forward(const HostTensor& x, const HostTensor& w, const HostTensor* b, const LinearParams& p) {
    HostTensor y(p.output_shape(x.shape));
    require_same_shape("linear_forward", w.shape, p.weight_shape());
    if (p.bias != (b != nullptr)) throw Error("internal: linear_forward: bias given iff p.bias");
    if (b) require_same_shape("linear_forward", b->shape, p.bias_shape());
    const uint32_t I = p.in_features, O = p.out_features;
    for (uint32_t n = 0; n < x.shape.n; ++n)
        for (uint32_t o = 0; o < O; ++o) {
            double acc = b ? b->data[o] : 0.0;
            for (uint32_t i = 0; i < I; ++i) acc += double(x.data[size_t(n) * I + i]) * w.data[size_t(o) * I + i];
            y.data[size_t(n) * O + o] = static_cast<float>(acc);
        }
    return y;
}

HostTensor cpu::linear_backward_input(const HostTensor& dy, const HostTensor& w, const LinearParams& p) {
    require_same_shape("linear_backward_input", w.shape, p.weight_shape());
    require_same_shape("linear_backward_input", dy.shape, Shape{dy.shape.n, p.out_features, 1, 1});
    const uint32_t I = p.in_features, O = p.out_features;
    HostTensor dx(Shape{dy.shape.n, I, 1, 1});
    for (uint32_t n = 0; n < dy.shape.n; ++n)
        for (uint32_t i = 0; i < I; ++i) {
            double acc = 0;
            for (uint32_t o = 0; o < O; ++o) acc += double(dy.data[size_t(n) * O + o]) * w.data[size_t(o) * I + i];
            dx.data[size_t(n) * I + i] = static_cast<float>(acc);
        }
    return dx;
}

HostTensor cpu::linear_backward_weight(const HostTensor& x, const HostTensor& dy, const LinearParams& p) {
    require_same_shape("linear_backward_weight", dy.shape, p.output_shape(x.shape));
    const uint32_t I = p.in_features, O = p.out_features;
    HostTensor dw(p.weight_shape());
    for (uint32_t o = 0; o < O; ++o)
        for (uint32_t i = 0; i < I; ++i) {
            double acc = 0;
            for (uint32_t n = 0; n < x.shape.n; ++n) acc += double(dy.data[size_t(n) * O + o]) * x.data[size_t(n) * I + i];
            dw.data[size_t(o) * I + i] = static_cast<float>(acc);
        }
    return dw;
}

HostTensor cpu::linear_backward_bias(const HostTensor& dy) {
    if (dy.shape.h != 1 || dy.shape.w != 1) throw Error("internal: linear_backward_bias: dy is " + dy.shape.str());
    return channel_sum(dy);
}

namespace {
struct Push {
    uint32_t N, I, O, has_bias;
};
} // namespace

void linear_forward(gpu::Recording& rec, const Tensor& x, const Tensor& w, const Tensor* b, const Tensor& y,
                    const LinearParams& p) {
    require_same_shape("linear_forward", y.shape(), p.output_shape(x.shape()));
    require_same_shape("linear_forward", w.shape(), p.weight_shape());
    if (p.bias != (b != nullptr)) throw Error("internal: linear_forward: bias given iff p.bias");
    if (b) require_same_shape("linear_forward", b->shape(), p.bias_shape());
    uint32_t N = x.shape().n;
    rec.dispatch_1d(rec.context().pipeline(shaders::linear_forward), {x, w, b ? *b : w, y},
                    Push{N, p.in_features, p.out_features, b ? 1u : 0u}, uint64_t(N) * p.out_features);
}

void linear_backward_input(gpu::Recording& rec, const Tensor& dy, const Tensor& w, const Tensor& dx,
                           const LinearParams& p) {
    require_same_shape("linear_backward_input", dy.shape(), p.output_shape(dx.shape()));
    require_same_shape("linear_backward_input", w.shape(), p.weight_shape());
    uint32_t N = dx.shape().n;
    rec.dispatch_1d(rec.context().pipeline(shaders::linear_backward_input), {dy, w, dx},
                    Push{N, p.in_features, p.out_features, 0}, uint64_t(N) * p.in_features);
}

void linear_backward_weight(gpu::Recording& rec, const Tensor& x, const Tensor& dy, const Tensor& dw,
                            const LinearParams& p) {
    require_same_shape("linear_backward_weight", dy.shape(), p.output_shape(x.shape()));
    require_same_shape("linear_backward_weight", dw.shape(), p.weight_shape());
    rec.dispatch_1d(rec.context().pipeline(shaders::linear_backward_weight), {x, dy, dw},
                    Push{x.shape().n, p.in_features, p.out_features, 0}, uint64_t(p.out_features) * p.in_features);
}

void linear_backward_bias(gpu::Recording& rec, const Tensor& dy, const Tensor& db) {
    if (dy.shape().h != 1 || dy.shape().w != 1)
        throw Error("internal: linear_backward_bias: dy is " + dy.shape().str());
    channel_sum(rec, dy, nullptr, db);
}

} // namespace vkcolor::layers
