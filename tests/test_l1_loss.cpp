// L1 loss (shaders pointwise_loss_partial, l1_loss_backward): GPU vs CPU, finite differences, PyTorch
// golden (sign(0) = 0), determinism.
#include <catch2/catch.hpp>

#include <cmath>

#include "gpu_fixture.hpp"
#include "op_test.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/layers/l1_loss.hpp"

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
    layers::l1_loss_forward(rec, gp, gt, loss);
    layers::l1_loss_backward(rec, gp, gt, dpred);
    rec.finish();
    for (int i = 0; i < replays; ++i) ctx.run(rec);
    return {loss.download(ctx), dpred.download(ctx)};
}
} // namespace

TEST_CASE("l1_loss: GPU matches the CPU reference", "[gpu][l1_loss]") { test::require_op_check_passes("l1_loss"); }

TEST_CASE("l1_loss: CPU backward matches finite differences", "[l1_loss][fd]") {
    HostTensor pred = check::random_tensor({2, 3, 5, 7}, 11), target = check::random_tensor(pred.shape, 12);
    for (size_t i = 0; i < pred.data.size(); ++i)   // keep away from the kink at pred == target
        if (std::fabs(pred.data[i] - target.data[i]) < 0.05f) pred.data[i] = target.data[i] + 0.5f;
    auto f = [&](const HostTensor& p) { return double(cpu::l1_loss_forward(p, target).data[0]); };
    // The loss is piecewise linear, so central differences are exact but for the loss's fp32
    // rounding; a large step (still short of every kink) keeps that rounding small.
    CHECK(test::finite_difference_error(f, pred, cpu::l1_loss_backward(pred, target), 0.04f, 210) < 1e-3);
}

TEST_CASE("l1_loss: CPU reference and GPU match PyTorch, no gradient where pred == target",
          "[gpu][l1_loss][golden]") {
    auto g = test::load_golden("l1_loss");
    HostTensor dpred = cpu::l1_loss_backward(g["pred"], g["target"]);
    CHECK(check::relative_error(cpu::l1_loss_forward(g["pred"], g["target"]).data, g["loss"].data) <
          check::k_forward_tolerance);
    CHECK(check::relative_error(dpred.data, g["dpred"].data) < check::k_backward_tolerance);
    auto got = run_gpu(test::gpu(), g["pred"], g["target"]);
    CHECK(check::relative_error(got.loss, g["loss"].data) < check::k_forward_tolerance);
    CHECK(check::relative_error(got.dpred, g["dpred"].data) < check::k_backward_tolerance);
    for (size_t i = 0; i < 4; ++i) {   // the generator's ties
        REQUIRE(g["pred"].data[i] == g["target"].data[i]);
        CHECK(g["dpred"].data[i] == 0.0f);
        CHECK(dpred.data[i] == 0.0f);
        CHECK(got.dpred[i] == 0.0f);
    }
    test::require_no_validation_messages();
}

TEST_CASE("l1_loss: the same input gives the same bits, run after run", "[gpu][l1_loss][determinism]") {
    auto& ctx = test::gpu();
    Shape s{16, 3, 33, 35};   // many chunks, none a multiple of the workgroup size
    HostTensor pred = check::random_tensor(s, 21, -10.0f, 10.0f), target = check::random_tensor(s, 22);
    auto a = run_gpu(ctx, pred, target), b = run_gpu(ctx, pred, target, 3);   // separate recordings; replays
    CHECK(a.loss == b.loss);
    CHECK(a.dpred == b.dpred);
    CHECK(a.loss[0] > 0.0f);
    test::require_no_validation_messages();
}
