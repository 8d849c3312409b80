// The smoke-test shader axpb.comp (y = a*x + b) against the CPU, over sizes and workgroup sizes.
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

std::vector<float> axpb_cpu(const std::vector<float>& x, float a, float b) {
    std::vector<float> y(x.size());
    for (size_t i = 0; i < x.size(); ++i) y[i] = a * x[i] + b;
    return y;
}
} // namespace

TEST_CASE("a trivial shader matches the CPU", "[gpu][axpb]") {
    auto& ctx = test::gpu();
    // Workgroup sizes through the specialization constant, including one that is not a power
    // of two, and element counts that are not multiples of any of them.
    auto wg = GENERATE(as<uint32_t>{}, 64u, 7u, 256u);
    auto n = GENERATE(as<uint32_t>{}, 1u, 7u, 1000u, 1u << 20);
    INFO("n = " << n << ", workgroup = " << wg);
    const auto& p = ctx.pipeline(shaders::axpb, {wg});
    REQUIRE(p.local_size[0] == wg);

    Tensor x(ctx, Shape{1, 1, 1, n}), y(ctx, Shape{1, 1, 1, n});
    auto xs = test::random_values(n, n + wg);
    x.upload(ctx, xs);
    gpu::Recording rec(ctx);
    rec.dispatch_1d(p, {x, y}, AxpbPush{n, 1.75f, -0.5f}, n);
    rec.finish();
    ctx.run(rec);
    CHECK(y.download(ctx) == axpb_cpu(xs, 1.75f, -0.5f));   // precise: bit-identical
    test::require_no_validation_messages();
}

TEST_CASE("grid-stride shaders cover every element with few workgroups", "[gpu][axpb]") {
    auto& ctx = test::gpu();
    const uint32_t n = 100003;
    const auto& p = ctx.pipeline(shaders::axpb, {32});
    Tensor x(ctx, Shape{1, 1, 1, n}), y(ctx, Shape{1, 1, 1, n});
    auto xs = test::random_values(n, 5);
    x.upload(ctx, xs);
    gpu::Recording rec(ctx);
    // Three workgroups of 32 for 100003 elements: each invocation loops ~1000 times.
    rec.dispatch(p, {x, y}, AxpbPush{n, -2.0f, 0.25f}, {3, 1, 1});
    rec.finish();
    ctx.run(rec);
    CHECK(y.download(ctx) == axpb_cpu(xs, -2.0f, 0.25f));
    test::require_no_validation_messages();
}
