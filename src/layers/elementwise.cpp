// Element-wise arithmetic: CPU reference and GPU recording.
#include "vkcolor/layers/elementwise.hpp"

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/layers/common.hpp"
#include "vkcolor/layers/reduce.hpp"

namespace vkcolor::layers {

HostTensor cpu::add(const HostTensor& a, const HostTensor& b) {
    require_same_shape("add", a.shape, b.shape);
    HostTensor y(a.shape);
    for (size_t i = 0; i < a.data.size(); ++i) y.data[i] = a.data[i] + b.data[i];
    return y;
}

void add(gpu::Recording& rec, const Tensor& a, const Tensor& b, const Tensor& y) {
    require_same_shape("add", a.shape(), b.shape());
    require_same_shape("add", a.shape(), y.shape());
    struct Push { uint32_t n; };
    uint32_t n = u32(a.shape().count());
    rec.dispatch_1d(rec.context().pipeline(shaders::elementwise_add), {a, b, y}, Push{n}, n);
}

// --- broadcasting ------------------------------------------------------------------------------

Broadcast broadcast_of(const Shape& a, const Shape& b) {
    if (b == a) return Broadcast::Same;
    if (b == Shape{a.n, 1, a.h, a.w}) return Broadcast::OverChannels;
    if (b == Shape{1, a.c, 1, 1}) return Broadcast::PerChannel;
    throw Error("internal: cannot broadcast " + b.str() + " against " + a.str() + " (want " + a.str() + ", " +
                Shape{a.n, 1, a.h, a.w}.str() + " or " + Shape{1, a.c, 1, 1}.str() + ")");
}

namespace {
// The element of b that pairs with a[n, c, h, w].
float broadcast_at(const HostTensor& b, Broadcast kind, uint32_t n, uint32_t c, uint32_t h, uint32_t w) {
    switch (kind) {
    case Broadcast::Same: return b.at(n, c, h, w);
    case Broadcast::OverChannels: return b.at(n, 0, h, w);
    case Broadcast::PerChannel: return b.at(0, c, 0, 0);
    }
    return 0.0f;
}

template <class F>
HostTensor broadcast_apply(const HostTensor& a, const HostTensor& b, F f) {
    Broadcast kind = broadcast_of(a.shape, b.shape);
    const Shape& s = a.shape;
    HostTensor y(s);
    for (uint32_t n = 0; n < s.n; ++n)
        for (uint32_t c = 0; c < s.c; ++c)
            for (uint32_t h = 0; h < s.h; ++h)
                for (uint32_t w = 0; w < s.w; ++w) y.at(n, c, h, w) = f(a.at(n, c, h, w), broadcast_at(b, kind, n, c, h, w));
    return y;
}

// t (a's shape, times `with` if given) summed to the shape b_shape, in double.
HostTensor sum_to(const HostTensor& t, const HostTensor* with, const Shape& b_shape) {
    Broadcast kind = broadcast_of(t.shape, b_shape);
    const Shape& s = t.shape;
    std::vector<double> acc(b_shape.count(), 0.0);
    for (uint32_t n = 0; n < s.n; ++n)
        for (uint32_t c = 0; c < s.c; ++c)
            for (uint32_t h = 0; h < s.h; ++h)
                for (uint32_t w = 0; w < s.w; ++w) {
                    size_t j = kind == Broadcast::Same           ? ((size_t(n) * s.c + c) * s.h + h) * s.w + w
                               : kind == Broadcast::OverChannels ? (size_t(n) * s.h + h) * s.w + w
                                                                 : c;
                    acc[j] += double(t.at(n, c, h, w)) * (with ? double(with->at(n, c, h, w)) : 1.0);
                }
    HostTensor out(b_shape);
    for (size_t j = 0; j < acc.size(); ++j) out.data[j] = static_cast<float>(acc[j]);
    return out;
}
} // namespace

HostTensor cpu::add_broadcast(const HostTensor& a, const HostTensor& b) {
    return broadcast_apply(a, b, [](float x, float y) { return x + y; });
}

HostTensor cpu::mul_broadcast(const HostTensor& a, const HostTensor& b) {
    return broadcast_apply(a, b, [](float x, float y) { return x * y; });
}

cpu::BroadcastGrads cpu::add_broadcast_backward(const HostTensor& dy, const Shape& b) {
    return {dy, sum_to(dy, nullptr, b)};
}

cpu::BroadcastGrads cpu::mul_broadcast_backward(const HostTensor& a, const HostTensor& b, const HostTensor& dy) {
    require_same_shape("mul_broadcast_backward", a.shape, dy.shape);
    return {mul_broadcast(dy, b), sum_to(dy, &a, b.shape)};
}

namespace {
struct BroadcastPush {
    uint32_t n, C, HW, kind;
};

void record_broadcast(gpu::Recording& rec, shaders::Name shader, const Tensor& a, const Tensor& b, const Tensor& y) {
    require_same_shape(shader.text, a.shape(), y.shape());
    const Shape& s = a.shape();
    Broadcast kind = broadcast_of(s, b.shape());
    uint32_t n = u32(s.count());
    rec.dispatch_1d(rec.context().pipeline(shader), {a, b, y},
                    BroadcastPush{n, s.c, u32(size_t(s.h) * s.w), uint32_t(kind)}, n);
}

// out (N x 1 x H x W) = sum over c of t (times `with` if given): one invocation per pixel.
void sum_over_channels(gpu::Recording& rec, const Tensor& t, const Tensor* with, const Tensor& out) {
    const Shape& s = t.shape();
    if (with) require_same_shape("sum_over_channels", s, with->shape());
    require_same_shape("sum_over_channels", out.shape(), Shape{s.n, 1, s.h, s.w});
    struct Push { uint32_t N, C, HW, use_b; };
    uint32_t HW = u32(size_t(s.h) * s.w), pixels = u32(out.shape().count());
    rec.dispatch_1d(rec.context().pipeline(shaders::sum_over_channels), {t, with ? *with : t, out},
                    Push{s.n, s.c, HW, with ? 1u : 0u}, pixels);
}

// db = t (times `with`) summed to db's shape.
void record_sum_to(gpu::Recording& rec, const Tensor& t, const Tensor* with, const Tensor& db) {
    switch (broadcast_of(t.shape(), db.shape())) {
    case Broadcast::Same:
        if (with) record_broadcast(rec, shaders::elementwise_mul_broadcast, t, *with, db);
        else rec.copy(t, db, t.shape().bytes());
        break;
    case Broadcast::OverChannels: sum_over_channels(rec, t, with, db); break;
    case Broadcast::PerChannel: channel_sum(rec, t, with, db); break;
    }
}
} // namespace

void add_broadcast(gpu::Recording& rec, const Tensor& a, const Tensor& b, const Tensor& y) {
    record_broadcast(rec, shaders::elementwise_add_broadcast, a, b, y);
}

void mul_broadcast(gpu::Recording& rec, const Tensor& a, const Tensor& b, const Tensor& y) {
    record_broadcast(rec, shaders::elementwise_mul_broadcast, a, b, y);
}

void add_broadcast_backward(gpu::Recording& rec, const Tensor& dy, const Tensor& da, const Tensor& db) {
    require_same_shape("add_broadcast_backward", dy.shape(), da.shape());
    rec.copy(dy, da, dy.shape().bytes());
    record_sum_to(rec, dy, nullptr, db);
}

void mul_broadcast_backward(gpu::Recording& rec, const Tensor& a, const Tensor& b, const Tensor& dy,
                            const Tensor& da, const Tensor& db) {
    require_same_shape("mul_broadcast_backward", a.shape(), dy.shape());
    require_same_shape("mul_broadcast_backward", b.shape(), db.shape());
    mul_broadcast(rec, dy, b, da);
    record_sum_to(rec, dy, &a, db);
}

} // namespace vkcolor::layers
