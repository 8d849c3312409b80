// MaxUnpool2d 2x2/2 (shaders maxpool2d_backward for the forward, which is the same math, and
// maxunpool2d_backward): GPU vs CPU, finite differences, PyTorch golden vectors, the indices the
// GPU max-pool writes fed straight in, refused indices, determinism.
#include <catch2/catch.hpp>

#include <algorithm>

#include "gpu_fixture.hpp"
#include "op_test.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/layers/maxpool2d.hpp"
#include "vkcolor/layers/maxunpool2d.hpp"

using namespace vkcolor;
namespace cpu = vkcolor::layers::cpu;

namespace {
// Forward then backward on the GPU with the given indices; `replays` extra submissions.
std::pair<std::vector<float>, std::vector<float>> run_gpu(const HostTensor& x, const std::vector<uint32_t>& indices,
                                                          const HostTensor& dy, int replays = 0) {
    auto& ctx = test::gpu();
    Tensor gx = check::to_gpu(ctx, x), gdy = check::to_gpu(ctx, dy), gy(ctx, dy.shape), gdx(ctx, x.shape);
    gpu::Buffer idx = layers::make_maxpool2d_indices(ctx, x.shape);
    ctx.upload(idx, indices.data(), indices.size() * sizeof(uint32_t));
    gpu::Recording rec(ctx);
    layers::maxunpool2d_forward(rec, gx, idx, gy);
    layers::maxunpool2d_backward(rec, idx, gdy, gdx);
    rec.finish();
    for (int i = 0; i <= replays; ++i) ctx.run(rec);
    return {gy.download(ctx), gdx.download(ctx)};
}

std::vector<uint32_t> as_indices(const HostTensor& t) {   // golden indices are exact floats
    std::vector<uint32_t> v;
    for (float f : t.data) v.push_back(static_cast<uint32_t>(f));
    return v;
}
} // namespace

TEST_CASE("maxunpool2d: GPU matches the CPU reference", "[gpu][maxunpool2d]") {
    test::require_op_check_passes("maxunpool2d");
}

TEST_CASE("maxunpool2d: CPU backward matches finite differences", "[maxunpool2d][fd]") {
    Shape out{2, 3, 5, 7};
    auto indices = cpu::maxpool2d_forward(check::random_tensor(out, 1)).indices;
    HostTensor x = check::random_tensor(layers::maxpool2d_output_shape(out), 2);
    HostTensor g = check::random_tensor(out, 3);
    auto f = [&](const HostTensor& in) { return test::dot(cpu::maxunpool2d_forward(in, indices, out), g); };
    CHECK(test::finite_difference_error(f, x, cpu::maxunpool2d_backward(g, indices), 1e-2f, 36) < 1e-3);   // all 36
}

TEST_CASE("maxunpool2d: CPU and GPU match PyTorch", "[gpu][maxunpool2d][golden]") {
    auto g = test::load_golden("maxunpool2d");
    auto indices = as_indices(g["indices"]);
    const HostTensor &x = g["x"], &dy = g["dy"];
    CHECK(check::relative_error(cpu::maxunpool2d_forward(x, indices, dy.shape).data, g["y"].data) <
          check::k_forward_tolerance);
    CHECK(check::relative_error(cpu::maxunpool2d_backward(dy, indices).data, g["dx"].data) <
          check::k_backward_tolerance);
    auto [y, dx] = run_gpu(x, indices, dy);
    CHECK(check::relative_error(y, g["y"].data) < check::k_forward_tolerance);
    CHECK(check::relative_error(dx, g["dx"].data) < check::k_backward_tolerance);
    test::require_no_validation_messages();
}

TEST_CASE("maxunpool2d: unpooling the GPU max-pool's own indices puts each maximum back", "[gpu][maxunpool2d]") {
    auto& ctx = test::gpu();
    Shape s{2, 5, 13, 11};
    HostTensor x = check::random_tensor(s, 7);
    Shape pooled = layers::maxpool2d_output_shape(s);
    Tensor gx = check::to_gpu(ctx, x), gp(ctx, pooled), gy(ctx, s);
    gpu::Buffer idx = layers::make_maxpool2d_indices(ctx, pooled);
    gpu::Recording rec(ctx);
    layers::maxpool2d_forward(rec, gx, gp, idx);
    layers::maxunpool2d_forward(rec, gp, idx, gy);
    rec.finish();
    ctx.run(rec);
    // x where x is its window's maximum, 0 elsewhere (the dropped row and column included).
    auto want = cpu::maxunpool2d_forward(cpu::maxpool2d_forward(x).y, cpu::maxpool2d_forward(x).indices, s);
    auto got = gy.download(ctx);
    CHECK(got == want.data);
    CHECK(size_t(std::count(got.begin(), got.end(), 0.0f)) == s.count() - pooled.count());
    test::require_no_validation_messages();
}

TEST_CASE("maxunpool2d: indices outside their window and mismatched shapes are refused", "[gpu][maxunpool2d]") {
    Shape out{1, 1, 4, 4};
    HostTensor x({1, 1, 2, 2});
    std::vector<uint32_t> ok = {0, 3, 9, 15}, outside = {0, 3, 9, 13};   // 13 is in window 2, not 3
    CHECK_NOTHROW(cpu::maxunpool2d_forward(x, ok, out));
    CHECK_THROWS_WITH(cpu::maxunpool2d_forward(x, outside, out), Catch::Contains("outside its 2x2 window"));
    CHECK_THROWS_WITH(cpu::maxunpool2d_backward(HostTensor(out), outside), Catch::Contains("outside its 2x2 window"));
    CHECK_THROWS(cpu::maxunpool2d_forward(x, {0, 3, 9}, out));               // too few indices
    CHECK_THROWS(cpu::maxunpool2d_forward(x, ok, Shape{1, 1, 6, 4}));        // x is not the pooled size

    auto& ctx = test::gpu();
    Tensor gx(ctx, {1, 3, 2, 3}), gy(ctx, {1, 3, 5, 7}), wrong(ctx, {1, 3, 6, 8});
    gpu::Buffer idx = layers::make_maxpool2d_indices(ctx, gx.shape()), short_idx = ctx.create_buffer(4);
    gpu::Recording rec(ctx);
    CHECK_THROWS_WITH(layers::maxunpool2d_forward(rec, gx, idx, wrong), Catch::Contains("maxunpool2d_forward"));
    CHECK_THROWS_WITH(layers::maxunpool2d_backward(rec, idx, wrong, gx), Catch::Contains("maxunpool2d_backward"));
    CHECK_THROWS_WITH(layers::maxunpool2d_backward(rec, short_idx, gy, gx), Catch::Contains("index buffer"));
    CHECK_THROWS_WITH(layers::maxunpool2d_forward(rec, gx, short_idx, gy), Catch::Contains("index buffer"));
    rec.finish();
    test::require_no_validation_messages();
}

TEST_CASE("maxunpool2d: the same input gives the same bits, run after run", "[gpu][maxunpool2d][determinism]") {
    Shape out{3, 24, 13, 11};
    auto indices = cpu::maxpool2d_forward(check::random_tensor(out, 31)).indices;
    HostTensor x = check::random_tensor(layers::maxpool2d_output_shape(out), 32), dy = check::random_tensor(out, 33);
    auto first = run_gpu(x, indices, dy), second = run_gpu(x, indices, dy, 2);
    CHECK(first.first == second.first);
    CHECK(first.second == second.second);
    test::require_no_validation_messages();
}
