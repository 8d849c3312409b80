// Channel concatenation (shaders concat_forward, concat_backward): GPU vs CPU, finite
// differences, PyTorch golden vectors, determinism.
#include <catch2/catch.hpp>

#include "gpu_fixture.hpp"
#include "op_test.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/layers/concat.hpp"

using namespace vkcolor;
namespace cpu = vkcolor::layers::cpu;

namespace {
struct GpuResult {
    std::vector<float> y, da, db;
};

// Forward then backward on the GPU; `replays` extra submissions of the same recording.
GpuResult run_gpu(const HostTensor& a, const HostTensor& b, const HostTensor& dy, int replays = 0) {
    auto& ctx = test::gpu();
    Tensor ga = check::to_gpu(ctx, a), gb = check::to_gpu(ctx, b), gdy = check::to_gpu(ctx, dy);
    Tensor gy(ctx, dy.shape), gda(ctx, a.shape), gdb(ctx, b.shape);
    gpu::Recording rec(ctx);
    layers::concat_forward(rec, ga, gb, gy);
    layers::concat_backward(rec, gdy, gda, gdb);
    rec.finish();
    for (int i = 0; i <= replays; ++i) ctx.run(rec);
    return {gy.download(ctx), gda.download(ctx), gdb.download(ctx)};
}
} // namespace

TEST_CASE("concat: GPU matches the CPU reference", "[gpu][concat]") { test::require_op_check_passes("concat"); }

TEST_CASE("concat: shapes must agree except in channels", "[concat]") {
    CHECK(layers::concat_output_shape({2, 3, 5, 7}, {2, 5, 5, 7}) == Shape{2, 8, 5, 7});
    CHECK_THROWS_AS(layers::concat_output_shape({2, 3, 5, 7}, {1, 5, 5, 7}), Error);
    CHECK_THROWS_AS(layers::concat_output_shape({2, 3, 5, 7}, {2, 5, 7, 5}), Error);
}

TEST_CASE("concat: CPU backward matches finite differences", "[concat][fd]") {
    HostTensor a = check::random_tensor({2, 3, 5, 7}, 31), b = check::random_tensor({2, 5, 5, 7}, 32);
    HostTensor g = check::random_tensor(layers::concat_output_shape(a.shape, b.shape), 33), da, db;
    cpu::concat_backward(g, a.shape.c, da, db);
    auto fa = [&](const HostTensor& in) { return test::dot(cpu::concat_forward(in, b), g); };
    auto fb = [&](const HostTensor& in) { return test::dot(cpu::concat_forward(a, in), g); };
    CHECK(test::finite_difference_error(fa, a, da, 1e-2f, 210) < 1e-3);   // every element of a
    CHECK(test::finite_difference_error(fb, b, db, 1e-2f, 350) < 1e-3);   // and of b
}

TEST_CASE("concat: CPU and GPU match PyTorch", "[gpu][concat][golden]") {
    auto g = test::load_golden("concat");
    CHECK(check::relative_error(cpu::concat_forward(g["a"], g["b"]).data, g["y"].data) < check::k_forward_tolerance);
    HostTensor da, db;
    cpu::concat_backward(g["dy"], g["a"].shape.c, da, db);
    CHECK(check::relative_error(da.data, g["da"].data) < check::k_backward_tolerance);
    CHECK(check::relative_error(db.data, g["db"].data) < check::k_backward_tolerance);

    auto gpu = run_gpu(g["a"], g["b"], g["dy"]);
    CHECK(check::relative_error(gpu.y, g["y"].data) < check::k_forward_tolerance);
    CHECK(check::relative_error(gpu.da, g["da"].data) < check::k_backward_tolerance);
    CHECK(check::relative_error(gpu.db, g["db"].data) < check::k_backward_tolerance);
    test::require_no_validation_messages();
}

TEST_CASE("concat: the same input gives the same bits, run after run", "[gpu][concat][determinism]") {
    HostTensor a = check::random_tensor({3, 24, 13, 11}, 34), b = check::random_tensor({3, 5, 13, 11}, 35);
    HostTensor dy = check::random_tensor(layers::concat_output_shape(a.shape, b.shape), 36);
    auto first = run_gpu(a, b, dy), second = run_gpu(a, b, dy, 2);   // a fresh recording, then one replayed
    CHECK(first.y == second.y);
    CHECK(first.da == second.da);
    CHECK(first.db == second.db);
    test::require_no_validation_messages();
}

TEST_CASE("concat: the backward refuses one tensor for both gradients", "[gpu][concat]") {
    auto& ctx = test::gpu();
    Tensor dy(ctx, {1, 6, 3, 3}), d(ctx, {1, 3, 3, 3});
    gpu::Recording rec(ctx);
    CHECK_THROWS_AS(layers::concat_backward(rec, dy, d, d), Error);
}
