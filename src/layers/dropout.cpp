// Dropout: the CPU reference and the GPU recording side by side.
#include "vkcolor/layers/dropout.hpp"

#include <cmath>

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/layers/common.hpp"

namespace vkcolor::layers {

namespace {
void require_probability(float p) {
    if (!(p >= 0.0f && p <= 1.0f))
        throw Error("internal: dropout: p = " + std::to_string(p) + " is not a probability in [0, 1]");
}
} // namespace

uint32_t dropout_threshold(float p) {
    require_probability(p);
    double t = std::round(double(p) * 4294967296.0);
    return t >= 4294967295.0 ? 0xffffffffu : static_cast<uint32_t>(t);
}

float dropout_scale(float p) {
    require_probability(p);
    return p == 1.0f ? 0.0f : static_cast<float>(1.0 / (1.0 - double(p)));
}

HostTensor cpu::dropout_mask(Shape shape, const DropoutParams& params, uint32_t step) {
    HostTensor m(shape, 1.0f);
    if (!params.training) return m;
    uint32_t threshold = dropout_threshold(params.p);
    float scale = dropout_scale(params.p);
    for (size_t i = 0; i < m.data.size(); ++i)
        m.data[i] = dropout_hash(params.seed, step, static_cast<uint32_t>(i)) >= threshold ? scale : 0.0f;
    return m;
}

HostTensor cpu::dropout_forward(const HostTensor& x, const DropoutParams& params, uint32_t step) {
    HostTensor m = dropout_mask(x.shape, params, step);
    HostTensor y(x.shape);
    for (size_t i = 0; i < x.data.size(); ++i) y.data[i] = params.training ? x.data[i] * m.data[i] : x.data[i];
    return y;
}

// The forward is linear in x with the same mask, so the backward is the forward applied to dy.
HostTensor cpu::dropout_backward(const HostTensor& dy, const DropoutParams& params, uint32_t step) {
    return dropout_forward(dy, params, step);
}

namespace {
struct MaskPush {
    uint32_t n, seed, threshold;
    float scale;
};

void apply_mask(gpu::Recording& rec, const char* op, const gpu::Buffer& step, const Tensor& in, const Tensor& out,
                const DropoutParams& params) {
    require_same_shape(op, in.shape(), out.shape());
    if (step.size() < k_dropout_step_bytes) throw Error(std::string("internal: ") + op + ": no step counter");
    if (!params.training) {
        rec.copy(in, out, in.shape().bytes());
        return;
    }
    uint32_t n = u32(in.shape().count());
    rec.dispatch_1d(rec.context().pipeline(shaders::dropout_apply_mask), {step, in, out},
                    MaskPush{n, params.seed, dropout_threshold(params.p), dropout_scale(params.p)}, n);
}
} // namespace

void dropout_next_step(gpu::Recording& rec, const gpu::Buffer& step) {
    if (step.size() < k_dropout_step_bytes) throw Error("internal: dropout_next_step: no step counter");
    // A single invocation: the workgroup size (specialisation constant 0) is 1. No push constants.
    rec.dispatch(rec.context().pipeline(shaders::dropout_next_step, {1}), {step}, nullptr, 0, {1, 1, 1});
}

void dropout_forward(gpu::Recording& rec, const gpu::Buffer& step, const Tensor& x, const Tensor& y,
                     const DropoutParams& params) {
    apply_mask(rec, "dropout_forward", step, x, y, params);
}

void dropout_backward(gpu::Recording& rec, const gpu::Buffer& step, const Tensor& dy, const Tensor& dx,
                      const DropoutParams& params) {
    apply_mask(rec, "dropout_backward", step, dy, dx, params);
}

} // namespace vkcolor::layers
