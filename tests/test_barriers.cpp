// The recorder's automatic barriers: dependent dispatches in one command buffer, replayed.
// Synchronization validation is on, so a missing barrier is reported as a hazard and fails
// the run, on top of any wrong value it causes.
#include <catch2/catch.hpp>

#include "gpu_fixture.hpp"
#include "test_helpers.hpp"
#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/tensor.hpp"

using namespace vkcolor;

namespace {
struct AxpbPush {
    uint32_t n;
    float a, b;
};
} // namespace

TEST_CASE("a chain of dependent dispatches replayed several times", "[gpu][barriers]") {
    auto& ctx = test::gpu();
    const uint32_t n = 4099;
    const auto& p = ctx.pipeline(shaders::axpb, {64});
    Tensor a(ctx, Shape{1, 1, 1, n}), b(ctx, Shape{1, 1, 1, n}), c(ctx, Shape{1, 1, 1, n});
    auto xs = test::random_values(n, 3);
    a.upload(ctx, xs);

    // a -> b -> c -> a: read-after-write at each step, write-after-read on a at the end, and
    // across submissions the next replay reads the a this one wrote.
    gpu::Recording rec(ctx);
    rec.dispatch_1d(p, {a, b}, AxpbPush{n, 0.5f, 1.0f}, n);
    rec.dispatch_1d(p, {b, c}, AxpbPush{n, -1.0f, 0.25f}, n);
    rec.dispatch_1d(p, {c, a}, AxpbPush{n, 2.0f, 0.0f}, n);
    rec.finish();
    CHECK(rec.dispatch_count() == 3);
    CHECK(rec.barrier_count() == 2);

    std::vector<float> expect = xs;
    const int replays = 5;
    for (int r = 0; r < replays; ++r) {
        ctx.run(rec);
        for (auto& v : expect) {
            float bv = 0.5f * v + 1.0f;
            float cv = -1.0f * bv + 0.25f;
            v = 2.0f * cv + 0.0f;
        }
    }
    CHECK(a.download(ctx) == expect);
    test::require_no_validation_messages();
}

TEST_CASE("write-after-write and copies are ordered", "[gpu][barriers]") {
    auto& ctx = test::gpu();
    const uint32_t n = 777;
    const auto& p = ctx.pipeline(shaders::axpb, {64});
    Tensor x(ctx, Shape{1, 1, 1, n}), y(ctx, Shape{1, 1, 1, n}), z(ctx, Shape{1, 1, 1, n});
    auto xs = test::random_values(n, 9);
    x.upload(ctx, xs);

    gpu::Recording rec(ctx);
    rec.fill(y, 0x7fc00000u);                           // y = NaN (transfer write)
    rec.dispatch_1d(p, {x, y}, AxpbPush{n, 3.0f, 1.0f}, n);   // y written again (WAW)
    rec.copy(y, z, size_t(n) * 4);                      // read y by transfer (RAW)
    rec.dispatch_1d(p, {z, y}, AxpbPush{n, 1.0f, 1.0f}, n);   // y over again while z is read
    rec.finish();
    CHECK(rec.barrier_count() == 3);
    ctx.run(rec);
    ctx.run(rec);

    std::vector<float> expect(n);
    for (uint32_t i = 0; i < n; ++i) expect[i] = (3.0f * xs[i] + 1.0f) + 1.0f;
    CHECK(y.download(ctx) == expect);
    test::require_no_validation_messages();
}

TEST_CASE("independent dispatches get no barrier between them", "[gpu][barriers]") {
    auto& ctx = test::gpu();
    const uint32_t n = 100;
    const auto& p = ctx.pipeline(shaders::axpb, {64});
    Tensor x(ctx, Shape{1, 1, 1, n}), y1(ctx, Shape{1, 1, 1, n}), y2(ctx, Shape{1, 1, 1, n});
    x.upload(ctx, test::random_values(n, 1));
    gpu::Recording rec(ctx);
    // Two readers of x writing different outputs: no hazard, so they may overlap on the GPU.
    rec.dispatch_1d(p, {x, y1}, AxpbPush{n, 1.0f, 0.0f}, n);
    rec.dispatch_1d(p, {x, y2}, AxpbPush{n, 2.0f, 0.0f}, n);
    rec.finish();
    CHECK(rec.barrier_count() == 0);
    ctx.run(rec);
    auto v1 = y1.download(ctx), v2 = y2.download(ctx);
    for (uint32_t i = 0; i < n; ++i) CHECK(v2[i] == 2.0f * v1[i]);
    test::require_no_validation_messages();
}

TEST_CASE("a copy after a barrier raised by a later dispatch still sees earlier writes", "[gpu][barriers]") {
    // x is written; a dispatch reading x raises a barrier, after which tracking starts afresh; a
    // copy then reads x with no new barrier, so that barrier must have covered transfers too.
    auto& ctx = test::gpu();
    const uint32_t n = 513;
    const auto& p = ctx.pipeline(shaders::axpb, {64});
    Tensor w(ctx, Shape{1, 1, 1, n}), x(ctx, Shape{1, 1, 1, n}), y(ctx, Shape{1, 1, 1, n}), z(ctx, Shape{1, 1, 1, n});
    auto ws = test::random_values(n, 4);
    w.upload(ctx, ws);
    gpu::Recording rec(ctx);
    rec.dispatch_1d(p, {w, x}, AxpbPush{n, 2.0f, 1.0f}, n);   // x = 2w + 1
    rec.dispatch_1d(p, {x, y}, AxpbPush{n, 1.0f, 0.0f}, n);   // barrier: reads x
    rec.copy(x, z, x.shape().bytes());                         // x again, tracked as already safe
    rec.finish();
    CHECK(rec.barrier_count() == 1);
    ctx.run(rec);
    std::vector<float> expect(ws);
    for (auto& v : expect) v = 2.0f * v + 1.0f;
    CHECK(z.download(ctx) == expect);
    test::require_no_validation_messages();
}

TEST_CASE("a derived buffer is found again only while its source and itself are unwritten", "[gpu][barriers]") {
    auto& ctx = test::gpu();
    const uint32_t n = 100;
    const auto& p = ctx.pipeline(shaders::axpb, {64});
    Tensor src(ctx, Shape{1, 1, 1, n}), other(ctx, Shape{1, 1, 1, n});
    gpu::Recording rec(ctx);
    const auto& derived = rec.scratch(n * sizeof(float));
    CHECK(rec.find_derived(src, "double") == nullptr);
    rec.dispatch_1d(p, {src, derived}, AxpbPush{n, 2.0f, 0.0f}, n);
    rec.remember_derived(src, "double", derived);
    CHECK(rec.find_derived(src, "double") == &derived);
    CHECK(rec.find_derived(src, "triple") == nullptr);      // another key
    CHECK(rec.find_derived(other, "double") == nullptr);    // another source
    rec.dispatch_1d(p, {src, other}, AxpbPush{n, 1.0f, 0.0f}, n);   // reading src changes nothing
    CHECK(rec.find_derived(src, "double") == &derived);
    rec.dispatch_1d(p, {other, src}, AxpbPush{n, 1.0f, 1.0f}, n);   // a write to the source
    CHECK(rec.find_derived(src, "double") == nullptr);
    rec.dispatch_1d(p, {src, derived}, AxpbPush{n, 2.0f, 0.0f}, n);
    rec.remember_derived(src, "double", derived);
    CHECK(rec.find_derived(src, "double") == &derived);
    rec.copy(other, derived, n * sizeof(float));                    // a write to the derived buffer
    CHECK(rec.find_derived(src, "double") == nullptr);
    rec.finish();
    ctx.run(rec);
    test::require_no_validation_messages();
}
