// Deterministic per-channel reductions: CPU reference and GPU recording.
#include "vkcolor/layers/reduce.hpp"

#include <algorithm>

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/layers/common.hpp"

namespace vkcolor::layers {

HostTensor cpu::channel_sum(const HostTensor& a, const HostTensor* b, float scale) {
    if (b) require_same_shape("channel_sum", a.shape, b->shape);
    const Shape& s = a.shape;
    HostTensor out(Shape{1, s.c, 1, 1});
    for (uint32_t c = 0; c < s.c; ++c) {
        double acc = 0;
        for (uint32_t n = 0; n < s.n; ++n)
            for (uint32_t h = 0; h < s.h; ++h)
                for (uint32_t w = 0; w < s.w; ++w)
                    acc += double(a.at(n, c, h, w)) * (b ? double(b->at(n, c, h, w)) : 1.0);
        out.data[c] = static_cast<float>(acc * scale);
    }
    return out;
}

uint32_t channel_sum_chunks(size_t elements) {
    // About 2048 elements per workgroup, at most 64 chunks: enough workgroups to fill a GPU for
    // few channels, few enough that stage 2 is a short sequential sum.
    return static_cast<uint32_t>(std::clamp<size_t>((elements + 2047) / 2048, 1, 64));
}

namespace {
struct PartialPush {
    uint32_t N, C, HW, S, use_b;
};
struct FinalPush {
    uint32_t M, S;
    float scale;
};
} // namespace

void sum_partials(gpu::Recording& rec, const gpu::Buffer& partial, uint32_t M, uint32_t S, const gpu::Buffer& out,
                  float scale) {
    rec.dispatch_1d(rec.context().pipeline(shaders::sum_partials), {partial, out}, FinalPush{M, S, scale}, M);
}

void channel_sum(gpu::Recording& rec, const Tensor& a, const Tensor* b, const Tensor& out, float scale) {
    const Shape& s = a.shape();
    if (b) require_same_shape("channel_sum", s, b->shape());
    require_same_shape("channel_sum", Shape{1, s.c, 1, 1}, out.shape());
    uint32_t HW = u32(size_t(s.h) * s.w);
    uint32_t S = channel_sum_chunks(size_t(s.n) * HW);
    const auto& partial = rec.scratch(size_t(s.c) * S * sizeof(float));
    auto& ctx = rec.context();
    if (s.c > ctx.info().max_workgroup_count[1])
        throw Error("internal: channel_sum over " + std::to_string(s.c) + " channels exceeds the device's group limit");
    rec.dispatch(ctx.pipeline(shaders::channel_sum_partial), {a, b ? *b : a, partial},
                 PartialPush{s.n, s.c, HW, S, b ? 1u : 0u}, {S, s.c, 1});
    sum_partials(rec, partial, s.c, S, out, scale);
}

void mean_pointwise_loss(gpu::Recording& rec, const Tensor& pred, const Tensor& target, const Tensor& loss,
                         PointwiseLoss f) {
    require_same_shape("mean_pointwise_loss", pred.shape(), target.shape());
    require_same_shape("mean_pointwise_loss", Shape{1, 1, 1, 1}, loss.shape());
    struct Push {
        uint32_t n, S;
    };
    uint32_t n = u32(pred.shape().count());
    // The chunk count depends on the element count only, so the sum's order (and bits) does too.
    uint32_t S = channel_sum_chunks(n);
    const auto& partial = rec.scratch(size_t(S) * sizeof(float));
    rec.dispatch(rec.context().pipeline(shaders::pointwise_loss_partial, {64, 1, 1, static_cast<uint32_t>(f)}),
                 {pred, target, partial}, Push{n, S}, {S, 1, 1});
    sum_partials(rec, partial, 1, S, loss, static_cast<float>(1.0 / double(n)));
}

} // namespace vkcolor::layers
