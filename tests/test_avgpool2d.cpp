// AvgPool2d 2x2/2 (shaders avgpool2d_forward, avgpool2d_backward): GPU vs CPU, finite differences,
// PyTorch golden vectors, exact dy / 4 in the backward, determinism.
#include <catch2/catch.hpp>

#include "gpu_fixture.hpp"
#include "shape_op_gpu.hpp"
#include "op_test.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/layers/avgpool2d.hpp"

using namespace vkcolor;
namespace cpu = vkcolor::layers::cpu;

namespace {
// Forward then backward on the GPU; `replays` extra submissions of the same recording.
std::pair<std::vector<float>, std::vector<float>> run_gpu(const HostTensor& x, const HostTensor& dy, int replays = 0) {
    return test::run_shape_op_gpu(layers::avgpool2d_forward, layers::avgpool2d_backward, x, dy, replays);
}
} // namespace

TEST_CASE("avgpool2d: GPU matches the CPU reference", "[gpu][avgpool2d]") { test::require_op_check_passes("avgpool2d"); }

TEST_CASE("avgpool2d: output size rounds down, inputs below 2x2 are refused", "[avgpool2d]") {
    CHECK(layers::avgpool2d_output_shape({2, 3, 13, 11}) == Shape{2, 3, 6, 5});
    CHECK(layers::avgpool2d_output_shape({1, 1, 2, 3}) == Shape{1, 1, 1, 1});
    CHECK_THROWS_AS(layers::avgpool2d_output_shape({1, 1, 1, 4}), Error);
    CHECK_THROWS_AS(layers::avgpool2d_output_shape({1, 1, 4, 1}), Error);
}

TEST_CASE("avgpool2d: CPU backward matches finite differences", "[avgpool2d][fd]") {
    // Linear in x: central differences are exact up to rounding. Every input, the dropped row and
    // column (gradient 0) included.
    Shape s{2, 3, 5, 7};
    HostTensor x = check::random_tensor(s, 3);
    HostTensor g = check::random_tensor(layers::avgpool2d_output_shape(s), 4);
    auto f = [&](const HostTensor& in) { return test::dot(cpu::avgpool2d_forward(in), g); };
    CHECK(test::finite_difference_error(f, x, cpu::avgpool2d_backward(s, g), 1e-2f, 210) < 1e-3);
}

TEST_CASE("avgpool2d: CPU and GPU match PyTorch", "[gpu][avgpool2d][golden]") {
    auto g = test::load_golden("avgpool2d");
    CHECK(check::relative_error(cpu::avgpool2d_forward(g["x"]).data, g["y"].data) < check::k_forward_tolerance);
    CHECK(check::relative_error(cpu::avgpool2d_backward(g["x"].shape, g["dy"]).data, g["dx"].data) <
          check::k_backward_tolerance);
    auto [y, dx] = run_gpu(g["x"], g["dy"]);
    CHECK(check::relative_error(y, g["y"].data) < check::k_forward_tolerance);
    CHECK(check::relative_error(dx, g["dx"].data) < check::k_backward_tolerance);
    test::require_no_validation_messages();
}

TEST_CASE("avgpool2d: the GPU backward is exactly dy / 4, and 0 in a dropped row or column", "[gpu][avgpool2d]") {
    Shape s{2, 5, 13, 11};
    HostTensor x = check::random_tensor(s, 5), dy = check::random_tensor(layers::avgpool2d_output_shape(s), 6);
    auto [y, dx] = run_gpu(x, dy);
    CHECK(dx == cpu::avgpool2d_backward(s, dy).data);   // bit for bit: dividing by 4 is exact
    test::require_no_validation_messages();
}

TEST_CASE("avgpool2d: the same input gives the same bits, run after run", "[gpu][avgpool2d][determinism]") {
    Shape s{3, 24, 13, 11};
    HostTensor x = check::random_tensor(s, 11), dy = check::random_tensor(layers::avgpool2d_output_shape(s), 12);
    auto first = run_gpu(x, dy), second = run_gpu(x, dy, 2);   // a fresh recording, then one replayed
    CHECK(first.first == second.first);
    CHECK(first.second == second.second);
    test::require_no_validation_messages();
}

TEST_CASE("avgpool2d: mismatched shapes are refused", "[gpu][avgpool2d]") {
    auto& ctx = test::gpu();
    Tensor x(ctx, {1, 3, 5, 7}), y(ctx, {1, 3, 2, 3}), wrong(ctx, {1, 3, 3, 3});
    gpu::Recording rec(ctx);
    CHECK_THROWS_WITH(layers::avgpool2d_forward(rec, x, wrong), Catch::Contains("avgpool2d_forward"));
    CHECK_THROWS_WITH(layers::avgpool2d_backward(rec, wrong, x), Catch::Contains("avgpool2d_backward"));
    rec.finish();
    test::require_no_validation_messages();
}
