// Bilinear x2 upsampling, align_corners=False (shaders upsample_bilinear2d_forward,
// upsample_bilinear2d_backward): GPU vs CPU, finite differences, PyTorch golden vectors (including
// a single row), the clamped source coordinates, determinism of the gather.
#include <catch2/catch.hpp>

#include "gpu_fixture.hpp"
#include "shape_op_gpu.hpp"
#include "op_test.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/layers/upsample_bilinear2d.hpp"

using namespace vkcolor;
namespace cpu = vkcolor::layers::cpu;

namespace {
// Forward then backward on the GPU; `replays` extra submissions of the same recording.
std::pair<std::vector<float>, std::vector<float>> run_gpu(const HostTensor& x, const HostTensor& dy, int replays = 0) {
    return test::run_shape_op_gpu(layers::upsample_bilinear2d_forward, layers::upsample_bilinear2d_backward, x, dy, replays);
}
} // namespace

TEST_CASE("upsample_bilinear2d: GPU matches the CPU reference", "[gpu][upsample_bilinear2d]") {
    test::require_op_check_passes("upsample_bilinear2d");
}

TEST_CASE("upsample_bilinear2d: weights 3/4 and 1/4, edges copy the nearest input", "[upsample_bilinear2d]") {
    // One row 0, 4, 8: outputs at source coordinates 0 (clamped), 0.25, 0.75, 1.25, 1.75, 2.25
    // (whose second tap clamps to the last input).
    HostTensor x({1, 1, 1, 3});
    x.data = {0, 4, 8};
    HostTensor y = cpu::upsample_bilinear2d_forward(x);
    REQUIRE(y.shape == Shape{1, 1, 2, 6});
    std::vector<float> row = {0, 1, 3, 5, 7, 8};
    CHECK(std::vector<float>(y.data.begin(), y.data.begin() + 6) == row);
    CHECK(std::vector<float>(y.data.begin() + 6, y.data.end()) == row);   // one input row: both rows copy it
    auto [gy, gdx] = run_gpu(x, HostTensor(y.shape, 1.0f));
    CHECK(gy == y.data);
    // dy = 1 everywhere: each input gets the total weight it was read with. Per output row, input
    // 0 gets 1 + 3/4 + 1/4, input 1 gets 1/4 + 3/4 + 3/4 + 1/4, input 2 gets 1/4 + 3/4 + 1; two rows.
    CHECK(gdx == std::vector<float>{4, 4, 4});
    test::require_no_validation_messages();
}

TEST_CASE("upsample_bilinear2d: CPU backward matches finite differences", "[upsample_bilinear2d][fd]") {
    // Linear in x: central differences are exact up to rounding. Every input of a small odd shape.
    for (Shape s : {Shape{2, 3, 5, 7}, Shape{1, 2, 1, 4}}) {
        INFO("x " << s.str());
        HostTensor x = check::random_tensor(s, 21);
        HostTensor g = check::random_tensor(layers::upsample_bilinear2d_output_shape(s), 22);
        auto f = [&](const HostTensor& in) { return test::dot(cpu::upsample_bilinear2d_forward(in), g); };
        CHECK(test::finite_difference_error(f, x, cpu::upsample_bilinear2d_backward(g), 1e-2f, 210) < 1e-3);
    }
}

TEST_CASE("upsample_bilinear2d: CPU and GPU match PyTorch", "[gpu][upsample_bilinear2d][golden]") {
    for (const char* name : {"upsample_bilinear2d", "upsample_bilinear2d_thin"}) {
        INFO("golden " << name);
        auto g = test::load_golden(name);
        CHECK(check::relative_error(cpu::upsample_bilinear2d_forward(g["x"]).data, g["y"].data) <
              check::k_forward_tolerance);
        CHECK(check::relative_error(cpu::upsample_bilinear2d_backward(g["dy"]).data, g["dx"].data) <
              check::k_backward_tolerance);
        auto [y, dx] = run_gpu(g["x"], g["dy"]);
        CHECK(check::relative_error(y, g["y"].data) < check::k_forward_tolerance);
        CHECK(check::relative_error(dx, g["dx"].data) < check::k_backward_tolerance);
    }
    test::require_no_validation_messages();
}

TEST_CASE("upsample_bilinear2d: the same input gives the same bits, run after run",
          "[gpu][upsample_bilinear2d][determinism]") {
    // Mixed magnitudes, so that another summation order in the backward's gather would show.
    Shape s{3, 24, 13, 11};
    HostTensor x = check::random_tensor(s, 23);
    HostTensor dy = check::random_tensor(layers::upsample_bilinear2d_output_shape(s), 24, -100.0f, 100.0f);
    auto first = run_gpu(x, dy), second = run_gpu(x, dy, 2);   // a fresh recording, then one replayed
    CHECK(first.first == second.first);
    CHECK(first.second == second.second);
    test::require_no_validation_messages();
}

TEST_CASE("upsample_bilinear2d: mismatched shapes are refused", "[gpu][upsample_bilinear2d]") {
    auto& ctx = test::gpu();
    Tensor x(ctx, {1, 3, 5, 7}), wrong(ctx, {1, 3, 10, 13});
    gpu::Recording rec(ctx);
    CHECK_THROWS_WITH(layers::upsample_bilinear2d_forward(rec, x, wrong), Catch::Contains("upsample_bilinear2d_forward"));
    CHECK_THROWS_WITH(layers::upsample_bilinear2d_backward(rec, wrong, x),
                      Catch::Contains("upsample_bilinear2d_backward"));
    CHECK_THROWS(cpu::upsample_bilinear2d_backward(HostTensor({1, 1, 3, 4})));
    rec.finish();
    test::require_no_validation_messages();
}
