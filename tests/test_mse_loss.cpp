// MSE loss (shaders pointwise_loss_partial, mse_loss_backward): GPU vs CPU, finite differences,
// PyTorch golden, determinism.
#include <catch2/catch.hpp>

#include "gpu_fixture.hpp"
#include "op_test.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/layers/mse_loss.hpp"

using namespace vkcolor;
namespace cpu = vkcolor::layers::cpu;

namespace {
struct GpuResult {
    std::vector<float> loss, dpred;
};
GpuResult run_gpu(gpu::Context& ctx, const HostTensor& pred, const HostTensor& target, int replays = 1) {
    Tensor gp = check::to_gpu(ctx, pred), gt = check::to_gpu(ctx, target), loss(ctx, {1, 1, 1, 1}),
           dpred(ctx, pred.shape);
    gpu::Recording rec(ctx);
    layers::mse_loss_forward(rec, gp, gt, loss);
    layers::mse_loss_backward(rec, gp, gt, dpred);
    rec.finish();
    for (int i = 0; i < replays; ++i) ctx.run(rec);
    return {loss.download(ctx), dpred.download(ctx)};
}
} // namespace

TEST_CASE("mse_loss: GPU matches the CPU reference", "[gpu][mse_loss]") { test::require_op_check_passes("mse_loss"); }

TEST_CASE("mse_loss: CPU backward matches finite differences", "[mse_loss][fd]") {
    HostTensor pred = check::random_tensor({2, 3, 5, 7}, 11), target = check::random_tensor(pred.shape, 12);
    auto f = [&](const HostTensor& p) { return double(cpu::mse_loss_forward(p, target).data[0]); };
    HostTensor dpred = cpu::mse_loss_backward(pred, target);
    // The loss is quadratic, so central differences are exact but for the loss's fp32 rounding;
    // a large step keeps that rounding small against the difference.
    CHECK(test::finite_difference_error(f, pred, dpred, 0.1f, 210) < 1e-3);
}

TEST_CASE("mse_loss: CPU reference and GPU match PyTorch", "[gpu][mse_loss][golden]") {
    auto g = test::load_golden("mse_loss");
    CHECK(check::relative_error(cpu::mse_loss_forward(g["pred"], g["target"]).data, g["loss"].data) <
          check::k_forward_tolerance);
    CHECK(check::relative_error(cpu::mse_loss_backward(g["pred"], g["target"]).data, g["dpred"].data) <
          check::k_backward_tolerance);
    auto got = run_gpu(test::gpu(), g["pred"], g["target"]);
    CHECK(check::relative_error(got.loss, g["loss"].data) < check::k_forward_tolerance);
    CHECK(check::relative_error(got.dpred, g["dpred"].data) < check::k_backward_tolerance);
    test::require_no_validation_messages();
}

TEST_CASE("mse_loss: the same input gives the same bits, run after run", "[gpu][mse_loss][determinism]") {
    auto& ctx = test::gpu();
    Shape s{16, 3, 33, 35};   // many chunks, none a multiple of the workgroup size
    HostTensor pred = check::random_tensor(s, 21, -10.0f, 10.0f), target = check::random_tensor(s, 22);
    auto a = run_gpu(ctx, pred, target), b = run_gpu(ctx, pred, target, 3);   // separate recordings; replays
    CHECK(a.loss == b.loss);
    CHECK(a.dpred == b.dpred);
    CHECK(a.loss[0] > 0.0f);
    test::require_no_validation_messages();
}
