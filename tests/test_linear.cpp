// Linear (shaders linear_forward, linear_backward_input, linear_backward_weight; dB by
// channel_sum_partial and sum_partials): GPU vs CPU, finite differences, PyTorch golden vectors,
// determinism.
#include <catch2/catch.hpp>

#include "gpu_fixture.hpp"
#include "op_test.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/layers/linear.hpp"

using namespace vkcolor;
namespace cpu = vkcolor::layers::cpu;

namespace {
struct GpuResult {
    std::vector<float> y, dx, dw, db;
};

// Forward and every backward on the GPU; `replays` extra submissions of the same recording.
GpuResult run_gpu(const HostTensor& x, const HostTensor& w, const HostTensor* b, const HostTensor& dy,
                  const layers::LinearParams& p, int replays = 0) {
    auto& ctx = test::gpu();
    Tensor gx = check::to_gpu(ctx, x), gw = check::to_gpu(ctx, w), gdy = check::to_gpu(ctx, dy);
    Tensor gb = b ? check::to_gpu(ctx, *b) : Tensor(ctx, p.bias_shape());
    Tensor gy(ctx, dy.shape), gdx(ctx, x.shape), gdw(ctx, w.shape), gdb(ctx, p.bias_shape());
    gpu::Recording rec(ctx);
    layers::linear_forward(rec, gx, gw, b ? &gb : nullptr, gy, p);
    layers::linear_backward_input(rec, gdy, gw, gdx, p);
    layers::linear_backward_weight(rec, gx, gdy, gdw, p);
    if (b) layers::linear_backward_bias(rec, gdy, gdb);
    rec.finish();
    for (int i = 0; i <= replays; ++i) ctx.run(rec);
    GpuResult r{gy.download(ctx), gdx.download(ctx), gdw.download(ctx), {}};
    if (b) r.db = gdb.download(ctx);
    return r;
}

layers::LinearParams golden_params(const test::Golden& g) {
    return {g.params["in_features"].get<uint32_t>(), g.params["out_features"].get<uint32_t>(),
            g.params["bias"].get<bool>()};
}
} // namespace

TEST_CASE("linear: GPU matches the CPU reference", "[gpu][linear]") { test::require_op_check_passes("linear"); }

TEST_CASE("linear: shapes", "[linear]") {
    layers::LinearParams p{24, 5, true};
    CHECK(p.output_shape({7, 24, 1, 1}) == Shape{7, 5, 1, 1});
    CHECK(p.weight_shape() == Shape{5, 24, 1, 1});
    CHECK(p.bias_shape() == Shape{1, 5, 1, 1});
    CHECK_THROWS_AS(p.output_shape({7, 23, 1, 1}), Error);
    CHECK_THROWS_AS(p.output_shape({7, 6, 2, 2}), Error);   // a feature map must be flattened first
}

TEST_CASE("linear: CPU backward matches finite differences", "[linear][fd]") {
    layers::LinearParams p{7, 5, true};
    HostTensor x = check::random_tensor({3, 7, 1, 1}, 41), w = check::random_tensor(p.weight_shape(), 42),
               b = check::random_tensor(p.bias_shape(), 43);
    HostTensor g = check::random_tensor(p.output_shape(x.shape), 44);
    auto fx = [&](const HostTensor& in) { return test::dot(cpu::linear_forward(in, w, &b, p), g); };
    auto fw = [&](const HostTensor& in) { return test::dot(cpu::linear_forward(x, in, &b, p), g); };
    auto fb = [&](const HostTensor& in) { return test::dot(cpu::linear_forward(x, w, &in, p), g); };
    CHECK(test::finite_difference_error(fx, x, cpu::linear_backward_input(g, w, p), 1e-2f, 21) < 1e-3);
    CHECK(test::finite_difference_error(fw, w, cpu::linear_backward_weight(x, g, p), 1e-2f, 35) < 1e-3);
    CHECK(test::finite_difference_error(fb, b, cpu::linear_backward_bias(g), 1e-2f, 5) < 1e-3);
}

TEST_CASE("linear: CPU and GPU match PyTorch", "[gpu][linear][golden]") {
    for (std::string name : {"linear", "linear_nobias_n1"}) {
        INFO(name);
        auto g = test::load_golden(name);
        auto p = golden_params(g);
        const HostTensor* b = p.bias ? &g["b"] : nullptr;
        CHECK(check::relative_error(cpu::linear_forward(g["x"], g["w"], b, p).data, g["y"].data) <
              check::k_forward_tolerance);
        CHECK(check::relative_error(cpu::linear_backward_input(g["dy"], g["w"], p).data, g["dx"].data) <
              check::k_backward_tolerance);
        CHECK(check::relative_error(cpu::linear_backward_weight(g["x"], g["dy"], p).data, g["dw"].data) <
              check::k_backward_tolerance);
        if (b) CHECK(check::relative_error(cpu::linear_backward_bias(g["dy"]).data, g["db"].data) < check::k_backward_tolerance);

        auto gpu = run_gpu(g["x"], g["w"], b, g["dy"], p);
        CHECK(check::relative_error(gpu.y, g["y"].data) < check::k_forward_tolerance);
        CHECK(check::relative_error(gpu.dx, g["dx"].data) < check::k_backward_tolerance);
        CHECK(check::relative_error(gpu.dw, g["dw"].data) < check::k_backward_tolerance);
        if (b) CHECK(check::relative_error(gpu.db, g["db"].data) < check::k_backward_tolerance);
    }
    test::require_no_validation_messages();
}

TEST_CASE("linear: the same inputs give the same bits, run after run", "[gpu][linear][determinism]") {
    // A batch of 200: dW and dB reduce over it (dB in several chunks).
    layers::LinearParams p{37, 11, true};
    HostTensor x = check::random_tensor({200, 37, 1, 1}, 51), w = check::random_tensor(p.weight_shape(), 52),
               b = check::random_tensor(p.bias_shape(), 53), dy = check::random_tensor({200, 11, 1, 1}, 54);
    auto first = run_gpu(x, w, &b, dy, p), second = run_gpu(x, w, &b, dy, p, 2);
    CHECK(first.y == second.y);
    CHECK(first.dx == second.dx);
    CHECK(first.dw == second.dw);
    CHECK(first.db == second.db);
    CHECK(check::relative_error(first.dw, cpu::linear_backward_weight(x, dy, p).data) < check::k_backward_tolerance);
    test::require_no_validation_messages();
}
