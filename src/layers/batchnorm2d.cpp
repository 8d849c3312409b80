// BatchNorm2d: the CPU reference and the GPU recording side by side.
//
// GPU layout of the work (NCHW, per-channel reductions over N and HW):
//   training forward  batchnorm2d_stats_partial   (chunks x C groups: chunk sum and centred M2)
//                     batchnorm2d_stats_finalize  (per channel: mean, invstd, running stats)
//                     batchnorm2d_forward_train   (element-wise normalise)
//   training backward batchnorm2d_backward_partial  (chunks x C groups: sum dy, sum dy*(x-mean))
//                     batchnorm2d_backward_finalize (per channel: dGamma, dBeta)
//                     batchnorm2d_backward          (element-wise dX)
//   eval forward      batchnorm2d_forward_eval      (element-wise)
//   eval backward     backward_partial + backward_finalize with the running stats, and
//                     batchnorm2d_backward_eval (element-wise dX)
// The chunking is layers::channel_sum_chunks, a function of the shape only: the same input
// gives the same bits. The statistics are fused rather than built from layers::channel_sum
// because the centred variance needs the mean first: with channel_sum that is three passes
// over x in memory (sum, centred squares, normalise) and two more dispatches; here each
// workgroup centres its own chunk while it is in cache, and the finalize combines chunks exactly.
#include "vkcolor/layers/batchnorm2d.hpp"

#include <algorithm>
#include <cmath>

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/layers/common.hpp"
#include "vkcolor/layers/reduce.hpp"

namespace vkcolor::layers {

void require_batchnorm2d_trainable(const Shape& x) {
    if (size_t(x.n) * x.h * x.w <= 1)
        throw Error("batchnorm2d: expected more than 1 value per channel when training, got input size " + x.str() +
                    " (use a batch of at least 2, or eval mode)");
}

namespace {

Shape channels_of(const Shape& x) { return Shape{1, x.c, 1, 1}; }

void require_channel_vector(const char* op, const Shape& x, const Shape& v) {
    require_same_shape(op, channels_of(x), v);
}

// Calls f(c, index) for every element of channel c, in NCHW order.
template <class F>
void for_channel(const Shape& s, uint32_t c, F f) {
    size_t hw = size_t(s.h) * s.w;
    for (uint32_t n = 0; n < s.n; ++n)
        for (size_t i = 0; i < hw; ++i) f((size_t(n) * s.c + c) * hw + i);
}

} // namespace

// --- CPU reference: plain loops, double accumulation, two-pass variance ---------------------

HostTensor cpu::batchnorm2d_forward_train(const HostTensor& x, const HostTensor& gamma, const HostTensor& beta,
                                          HostTensor& running_mean, HostTensor& running_var, HostTensor& saved_mean,
                                          HostTensor& saved_invstd, const BatchNorm2dParams& p) {
    const Shape& s = x.shape;
    require_batchnorm2d_trainable(s);
    for (const HostTensor* v : std::initializer_list<const HostTensor*>{&gamma, &beta, &running_mean, &running_var})
        require_channel_vector("batchnorm2d_forward_train", s, v->shape);
    double M = double(s.n) * s.h * s.w;
    HostTensor y(s);
    saved_mean = HostTensor(channels_of(s));
    saved_invstd = HostTensor(channels_of(s));
    for (uint32_t c = 0; c < s.c; ++c) {
        double sum = 0;
        for_channel(s, c, [&](size_t i) { sum += x.data[i]; });
        double mean = sum / M;
        double m2 = 0;
        for_channel(s, c, [&](size_t i) { m2 += (x.data[i] - mean) * (x.data[i] - mean); });
        double var = m2 / M;
        double invstd = 1.0 / std::sqrt(var + p.eps);
        for_channel(s, c,
                    [&](size_t i) { y.data[i] = float(gamma.data[c] * (x.data[i] - mean) * invstd + beta.data[c]); });
        saved_mean.data[c] = float(mean);
        saved_invstd.data[c] = float(invstd);
        running_mean.data[c] = float((1.0 - p.momentum) * running_mean.data[c] + p.momentum * mean);
        running_var.data[c] = float((1.0 - p.momentum) * running_var.data[c] + p.momentum * var * M / (M - 1));
    }
    return y;
}

HostTensor cpu::batchnorm2d_forward_eval(const HostTensor& x, const HostTensor& gamma, const HostTensor& beta,
                                         const HostTensor& running_mean, const HostTensor& running_var,
                                         const BatchNorm2dParams& p) {
    const Shape& s = x.shape;
    for (const HostTensor* v : {&gamma, &beta, &running_mean, &running_var})
        require_channel_vector("batchnorm2d_forward_eval", s, v->shape);
    HostTensor y(s);
    for (uint32_t c = 0; c < s.c; ++c) {
        double invstd = 1.0 / std::sqrt(double(running_var.data[c]) + p.eps);
        for_channel(s, c, [&](size_t i) {
            y.data[i] = float(gamma.data[c] * (x.data[i] - double(running_mean.data[c])) * invstd + beta.data[c]);
        });
    }
    return y;
}

namespace {

// dGamma = sum(dy * xhat), dBeta = sum(dy), with xhat = (x - mean) * invstd; and when
// `through_stats`, dX through the batch statistics, else dX = dy * gamma * invstd.
cpu::BatchNorm2dGrads backward(const HostTensor& x, const HostTensor& dy, const HostTensor& gamma,
                               const std::vector<double>& mean, const std::vector<double>& invstd, bool through_stats) {
    const Shape& s = x.shape;
    double M = double(s.n) * s.h * s.w;
    cpu::BatchNorm2dGrads g{HostTensor(s), HostTensor(channels_of(s)), HostTensor(channels_of(s))};
    for (uint32_t c = 0; c < s.c; ++c) {
        double sum_dy = 0, sum_dy_xhat = 0;
        for_channel(s, c, [&](size_t i) {
            sum_dy += dy.data[i];
            sum_dy_xhat += dy.data[i] * (x.data[i] - mean[c]) * invstd[c];
        });
        g.dbeta.data[c] = float(sum_dy);
        g.dgamma.data[c] = float(sum_dy_xhat);
        double k = gamma.data[c] * invstd[c];
        for_channel(s, c, [&](size_t i) {
            double xhat = (x.data[i] - mean[c]) * invstd[c];
            g.dx.data[i] = through_stats ? float(k / M * (M * dy.data[i] - sum_dy - xhat * sum_dy_xhat))
                                         : float(k * dy.data[i]);
        });
    }
    return g;
}

} // namespace

cpu::BatchNorm2dGrads cpu::batchnorm2d_backward_train(const HostTensor& x, const HostTensor& dy,
                                                      const HostTensor& gamma, const HostTensor& saved_mean,
                                                      const HostTensor& saved_invstd) {
    require_same_shape("batchnorm2d_backward_train", x.shape, dy.shape);
    for (const HostTensor* v : {&gamma, &saved_mean, &saved_invstd})
        require_channel_vector("batchnorm2d_backward_train", x.shape, v->shape);
    std::vector<double> mean(saved_mean.data.begin(), saved_mean.data.end());
    std::vector<double> invstd(saved_invstd.data.begin(), saved_invstd.data.end());
    return backward(x, dy, gamma, mean, invstd, true);
}

cpu::BatchNorm2dGrads cpu::batchnorm2d_backward_eval(const HostTensor& x, const HostTensor& dy, const HostTensor& gamma,
                                                     const HostTensor& running_mean, const HostTensor& running_var,
                                                     const BatchNorm2dParams& p) {
    require_same_shape("batchnorm2d_backward_eval", x.shape, dy.shape);
    for (const HostTensor* v : {&gamma, &running_mean, &running_var})
        require_channel_vector("batchnorm2d_backward_eval", x.shape, v->shape);
    std::vector<double> mean(running_mean.data.begin(), running_mean.data.end()), invstd;
    for (float v : running_var.data) invstd.push_back(1.0 / std::sqrt(double(v) + p.eps));
    return backward(x, dy, gamma, mean, invstd, false);
}

// --- GPU recording --------------------------------------------------------------------------

namespace {

struct ChunkPush {   // batchnorm2d_stats_partial, batchnorm2d_backward_partial
    uint32_t N, C, HW, S;
};
struct StatsFinalizePush {
    uint32_t C, S, M;
    float eps, momentum;
};
struct BackwardFinalizePush {
    uint32_t C, S, from_variance;
    float eps;
};
struct PlanePush {   // batchnorm2d_forward_train
    uint32_t planes, C, HW;
};
struct PlaneEpsPush {   // batchnorm2d_forward_eval, batchnorm2d_backward_eval
    uint32_t planes, C, HW;
    float eps;
};
struct BackwardPush {   // batchnorm2d_backward
    uint32_t planes, C, HW;
    float inv_m;
};

// The grid of the chunked per-channel passes: S chunks (x) by C channels (y).
std::array<uint32_t, 3> chunk_grid(gpu::Context& ctx, const Shape& s, uint32_t S) {
    if (s.c > ctx.info().max_workgroup_count[1])
        throw Error("internal: batchnorm2d over " + std::to_string(s.c) + " channels exceeds the device's group limit");
    return {S, s.c, 1};
}

uint32_t hw_of(const Shape& s) { return u32(size_t(s.h) * s.w); }
uint32_t planes_of(const Shape& s) { return u32(size_t(s.n) * s.c); }

// The grid of the element-wise passes: a plane's pixels (x) by the N*C planes (y), both
// grid-stride loops in the shaders. About 16 pixels per invocation (1024 per workgroup, like
// channel_sum's 2048) amortise the per-plane channel lookups: on lavapipe one pixel per
// invocation made these passes ~5x slower; 100x32x32x32 still has 3200 workgroups for a GPU.
std::array<uint32_t, 3> plane_grid(gpu::Context& ctx, const gpu::Pipeline& p, const Shape& s) {
    constexpr uint32_t k_pixels_per_invocation = 16;
    uint64_t planes = uint64_t(s.n) * s.c;
    // The shaders take four pixels an iteration where a plane is a whole number of vec4s.
    return {ctx.groups_for((size_t(s.h) * s.w + 3) / 4, p.local_size[0] * k_pixels_per_invocation),
            uint32_t(std::min<uint64_t>(planes, ctx.info().max_workgroup_count[1])), 1};
}

// Stage 1 and 2 of dGamma and dBeta. `scale` is the saved invstd, or the running variance when
// from_variance (eval mode).
void record_parameter_grads(gpu::Recording& rec, const Tensor& x, const Tensor& dy, const Tensor& mean,
                            const Tensor& scale, bool from_variance, float eps, const Tensor& dgamma,
                            const Tensor& dbeta) {
    auto& ctx = rec.context();
    const Shape& s = x.shape();
    uint32_t HW = hw_of(s);
    uint32_t S = channel_sum_chunks(size_t(s.n) * HW);
    const auto& partial_dy = rec.scratch(size_t(s.c) * S * sizeof(float));
    const auto& partial_dyxc = rec.scratch(size_t(s.c) * S * sizeof(float));
    rec.dispatch(ctx.pipeline(shaders::batchnorm2d_backward_partial), {x, dy, mean, partial_dy, partial_dyxc},
                 ChunkPush{s.n, s.c, HW, S}, chunk_grid(ctx, s, S));
    rec.dispatch_1d(ctx.pipeline(shaders::batchnorm2d_backward_finalize), {partial_dy, partial_dyxc, scale, dgamma, dbeta},
                    BackwardFinalizePush{s.c, S, from_variance ? 1u : 0u, eps}, s.c);
}

void require_backward_shapes(const char* op, const Tensor& x, const Tensor& dy, const Tensor& dx,
                             std::initializer_list<const Tensor*> vectors) {
    require_same_shape(op, x.shape(), dy.shape());
    require_same_shape(op, x.shape(), dx.shape());
    for (const Tensor* v : vectors) require_channel_vector(op, x.shape(), v->shape());
}

} // namespace

void batchnorm2d_forward_train(gpu::Recording& rec, const Tensor& x, const Tensor& gamma, const Tensor& beta,
                               const Tensor& running_mean, const Tensor& running_var, const Tensor& saved_mean,
                               const Tensor& saved_invstd, const Tensor& y, const BatchNorm2dParams& p) {
    const Shape& s = x.shape();
    require_batchnorm2d_trainable(s);
    require_same_shape("batchnorm2d_forward_train", s, y.shape());
    for (const Tensor* v : {&gamma, &beta, &running_mean, &running_var, &saved_mean, &saved_invstd})
        require_channel_vector("batchnorm2d_forward_train", s, v->shape());
    auto& ctx = rec.context();
    uint32_t HW = hw_of(s), M = u32(size_t(s.n) * HW);
    uint32_t S = channel_sum_chunks(M);
    const auto& partial_sum = rec.scratch(size_t(s.c) * S * sizeof(float));
    const auto& partial_m2 = rec.scratch(size_t(s.c) * S * sizeof(float));
    rec.dispatch(ctx.pipeline(shaders::batchnorm2d_stats_partial), {x, partial_sum, partial_m2}, ChunkPush{s.n, s.c, HW, S},
                 chunk_grid(ctx, s, S));
    rec.dispatch_1d(ctx.pipeline(shaders::batchnorm2d_stats_finalize),
                    {partial_sum, partial_m2, saved_mean, saved_invstd, running_mean, running_var},
                    StatsFinalizePush{s.c, S, M, p.eps, p.momentum}, s.c);
    const auto& normalise = ctx.pipeline(shaders::batchnorm2d_forward_train);
    rec.dispatch(normalise, {x, saved_mean, saved_invstd, gamma, beta, y}, PlanePush{planes_of(s), s.c, HW},
                 plane_grid(ctx, normalise, s));
}

void batchnorm2d_forward_eval(gpu::Recording& rec, const Tensor& x, const Tensor& gamma, const Tensor& beta,
                              const Tensor& running_mean, const Tensor& running_var, const Tensor& y,
                              const BatchNorm2dParams& p) {
    const Shape& s = x.shape();
    require_same_shape("batchnorm2d_forward_eval", s, y.shape());
    for (const Tensor* v : {&gamma, &beta, &running_mean, &running_var})
        require_channel_vector("batchnorm2d_forward_eval", s, v->shape());
    auto& ctx = rec.context();
    const auto& pipeline = ctx.pipeline(shaders::batchnorm2d_forward_eval);
    rec.dispatch(pipeline, {x, running_mean, running_var, gamma, beta, y},
                 PlaneEpsPush{planes_of(s), s.c, hw_of(s), p.eps}, plane_grid(ctx, pipeline, s));
}

void batchnorm2d_backward_train(gpu::Recording& rec, const Tensor& x, const Tensor& dy, const Tensor& gamma,
                                const Tensor& saved_mean, const Tensor& saved_invstd, const Tensor& dx,
                                const Tensor& dgamma, const Tensor& dbeta) {
    require_backward_shapes("batchnorm2d_backward_train", x, dy, dx,
                            {&gamma, &saved_mean, &saved_invstd, &dgamma, &dbeta});
    const Shape& s = x.shape();
    record_parameter_grads(rec, x, dy, saved_mean, saved_invstd, false, 0.0f, dgamma, dbeta);
    auto& ctx = rec.context();
    const auto& pipeline = ctx.pipeline(shaders::batchnorm2d_backward);
    float inv_m = 1.0f / float(size_t(s.n) * s.h * s.w);
    rec.dispatch(pipeline, {x, dy, saved_mean, saved_invstd, gamma, dgamma, dbeta, dx},
                 BackwardPush{planes_of(s), s.c, hw_of(s), inv_m}, plane_grid(ctx, pipeline, s));
}

void batchnorm2d_backward_eval(gpu::Recording& rec, const Tensor& x, const Tensor& dy, const Tensor& gamma,
                               const Tensor& running_mean, const Tensor& running_var, const Tensor& dx,
                               const Tensor& dgamma, const Tensor& dbeta, const BatchNorm2dParams& p) {
    require_backward_shapes("batchnorm2d_backward_eval", x, dy, dx,
                            {&gamma, &running_mean, &running_var, &dgamma, &dbeta});
    const Shape& s = x.shape();
    record_parameter_grads(rec, x, dy, running_mean, running_var, true, p.eps, dgamma, dbeta);
    auto& ctx = rec.context();
    const auto& pipeline = ctx.pipeline(shaders::batchnorm2d_backward_eval);
    rec.dispatch(pipeline, {dy, running_var, gamma, dx}, PlaneEpsPush{planes_of(s), s.c, hw_of(s), p.eps},
                 plane_grid(ctx, pipeline, s));
}

} // namespace vkcolor::layers
