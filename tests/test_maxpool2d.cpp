// MaxPool2d 2x2/2 (shaders maxpool2d_forward, maxpool2d_backward): GPU vs CPU, finite
// differences, PyTorch golden vectors with ties, NaN and -inf windows, determinism.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "gpu_fixture.hpp"
#include "op_test.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/layers/maxpool2d.hpp"

using namespace vkcolor;
namespace cpu = vkcolor::layers::cpu;

namespace {
struct GpuResult {
    std::vector<float> y, dx;
    std::vector<uint32_t> indices;
};

// Forward then backward on the GPU; `replays` extra submissions of the same recording.
GpuResult run_gpu(const HostTensor& x, const HostTensor& dy, int replays = 0) {
    auto& ctx = test::gpu();
    Tensor gx = check::to_gpu(ctx, x), gdy = check::to_gpu(ctx, dy), gy(ctx, dy.shape), gdx(ctx, x.shape);
    gpu::Buffer idx = layers::make_maxpool2d_indices(ctx, dy.shape);
    gpu::Recording rec(ctx);
    layers::maxpool2d_forward(rec, gx, gy, idx);
    layers::maxpool2d_backward(rec, idx, gdy, gdx);
    rec.finish();
    for (int i = 0; i <= replays; ++i) ctx.run(rec);
    GpuResult r{gy.download(ctx), gdx.download(ctx), std::vector<uint32_t>(dy.shape.count())};
    ctx.download(idx, r.indices.data(), r.indices.size() * sizeof(uint32_t));
    return r;
}

std::vector<uint32_t> as_indices(const HostTensor& t) {   // golden indices are exact floats
    std::vector<uint32_t> v;
    for (float f : t.data) v.push_back(static_cast<uint32_t>(f));
    return v;
}
} // namespace

TEST_CASE("maxpool2d: GPU matches the CPU reference", "[gpu][maxpool2d]") { test::require_op_check_passes("maxpool2d"); }

TEST_CASE("maxpool2d: output size rounds down, inputs below 2x2 are refused", "[maxpool2d]") {
    CHECK(layers::maxpool2d_output_shape({2, 3, 13, 11}) == Shape{2, 3, 6, 5});
    CHECK(layers::maxpool2d_output_shape({1, 1, 2, 3}) == Shape{1, 1, 1, 1});
    CHECK_THROWS_AS(layers::maxpool2d_output_shape({1, 1, 1, 4}), Error);
    CHECK_THROWS_AS(layers::maxpool2d_output_shape({1, 1, 4, 1}), Error);
}

TEST_CASE("maxpool2d: CPU backward matches finite differences", "[maxpool2d][fd]") {
    // Distinct values 0.05 apart (a shuffled ramp): a +-eps step never changes a window's winner.
    Shape s{2, 3, 5, 7};
    HostTensor x(s);
    std::iota(x.data.begin(), x.data.end(), 0.0f);
    std::shuffle(x.data.begin(), x.data.end(), std::mt19937(3));
    for (auto& v : x.data) v = (v - 100.0f) * 0.05f;
    HostTensor g = check::random_tensor(layers::maxpool2d_output_shape(s), 4);
    auto f = [&](const HostTensor& in) { return test::dot(cpu::maxpool2d_forward(in).y, g); };
    HostTensor dx = cpu::maxpool2d_backward(s, cpu::maxpool2d_forward(x).indices, g);
    CHECK(test::finite_difference_error(f, x, dx, 1e-2f, 210) < 1e-3);   // all 210 inputs
}

TEST_CASE("maxpool2d: CPU and GPU match PyTorch, ties included", "[gpu][maxpool2d][golden]") {
    auto g = test::load_golden("maxpool2d");
    auto want_indices = as_indices(g["indices"]);
    auto ref = cpu::maxpool2d_forward(g["x"]);
    CHECK(check::relative_error(ref.y.data, g["y"].data) < check::k_forward_tolerance);
    CHECK(ref.indices == want_indices);
    HostTensor dx = cpu::maxpool2d_backward(g["x"].shape, ref.indices, g["dy"]);
    CHECK(check::relative_error(dx.data, g["dx"].data) < check::k_backward_tolerance);

    auto gpu = run_gpu(g["x"], g["dy"]);
    CHECK(check::relative_error(gpu.y, g["y"].data) < check::k_forward_tolerance);
    CHECK(gpu.indices == want_indices);
    CHECK(check::relative_error(gpu.dx, g["dx"].data) < check::k_backward_tolerance);
    test::require_no_validation_messages();
}

TEST_CASE("maxpool2d: NaN wins (the last one), -inf windows keep the first element", "[gpu][maxpool2d]") {
    const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
    // Four windows, each listed as (top-left, top-right, bottom-left, bottom-right).
    const float windows[4][4] = {{1, nan, 5, 2},        // a NaN beats larger numbers after it
                                 {nan, 3, nan, 4},      // of two NaNs the later one wins, as in PyTorch
                                 {-inf, -inf, -inf, -inf},   // nothing beats the start: the first element
                                 {-2, -1, -1, -3}};     // tie: the first maximum
    const uint32_t winner[4] = {1, 2, 0, 1};            // the winning element of each window
    // A 2x8 plane takes the shader's four-windows-an-invocation path, 2x10 (a fifth window of
    // zeros) the one-window path.
    for (uint32_t W : {8u, 10u}) {
        HostTensor x({1, 1, 2, W});
        for (uint32_t k = 0; k < 4; ++k)
            for (uint32_t e = 0; e < 4; ++e) x.at(0, 0, e / 2, 2 * k + e % 2) = windows[k][e];
        HostTensor dy({1, 1, 1, W / 2});
        for (uint32_t k = 0; k < W / 2; ++k) dy.data[k] = 10.0f * float(k + 1);

        auto ref = cpu::maxpool2d_forward(x);
        auto gpu = run_gpu(x, dy);
        for (uint32_t k = 0; k < 4; ++k) {
            INFO("width " << W << ", window " << k);
            const uint32_t want_at = (winner[k] / 2) * W + 2 * k + winner[k] % 2;   // h * W + w
            CHECK(ref.indices[k] == want_at);
            CHECK(gpu.indices[k] == want_at);
            CHECK(gpu.dx[want_at] == dy.data[k]);
        }
        CHECK(std::isnan(gpu.y[0]));
        CHECK(std::isnan(gpu.y[1]));
        CHECK(gpu.y[2] == -inf);
        CHECK(gpu.y[3] == -1.0f);
        // Everything else gets nothing (a zero window passes its dy to its first element).
        CHECK(std::count(gpu.dx.begin(), gpu.dx.end(), 0.0f) == 2 * W - 4 - (W / 2 - 4));
    }
    test::require_no_validation_messages();
}

TEST_CASE("maxpool2d: the same input gives the same bits, run after run", "[gpu][maxpool2d][determinism]") {
    Shape s{3, 24, 13, 11};
    HostTensor x = check::random_tensor(s, 11), dy = check::random_tensor(layers::maxpool2d_output_shape(s), 12);
    auto first = run_gpu(x, dy), second = run_gpu(x, dy, 2);   // a fresh recording, then one replayed
    CHECK(first.y == second.y);
    CHECK(first.indices == second.indices);
    CHECK(first.dx == second.dx);
    test::require_no_validation_messages();
}
