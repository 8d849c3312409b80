// Per-pixel softmax cross-entropy (shaders cross_entropy_forward, cross_entropy_backward): GPU vs
// CPU, finite differences, PyTorch golden, argmax ties, invalid targets, determinism.
#include <catch2/catch.hpp>

#include <cmath>

#include "gpu_fixture.hpp"
#include "op_test.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/layers/cross_entropy.hpp"

using namespace vkcolor;
namespace cpu = vkcolor::layers::cpu;

namespace {
struct GpuResult {
    std::vector<float> loss, argmax, correct, dlogits;
};
GpuResult run_gpu(gpu::Context& ctx, const HostTensor& logits, const HostTensor& targets, int replays = 1) {
    Tensor gx = check::to_gpu(ctx, logits), gt = check::to_gpu(ctx, targets), loss(ctx, {1, 1, 1, 1}),
           argmax(ctx, targets.shape), correct(ctx, {1, 1, 1, 1}), dx(ctx, logits.shape);
    gpu::Recording rec(ctx);
    layers::cross_entropy_forward(rec, gx, gt, loss, argmax, correct);
    layers::cross_entropy_backward(rec, gx, gt, dx);
    rec.finish();
    for (int i = 0; i < replays; ++i) ctx.run(rec);
    return {loss.download(ctx), argmax.download(ctx), correct.download(ctx), dx.download(ctx)};
}

HostTensor random_targets(Shape logits, uint32_t seed) {
    HostTensor t = check::random_tensor({logits.n, 1, logits.h, logits.w}, seed, 0.0f, 1.0f);
    for (auto& v : t.data) v = std::floor(v * float(logits.c));
    return t;
}
} // namespace

TEST_CASE("cross_entropy: GPU matches the CPU reference", "[gpu][cross_entropy]") {
    test::require_op_check_passes("cross_entropy");
}

TEST_CASE("cross_entropy: CPU backward matches finite differences", "[cross_entropy][fd]") {
    for (uint32_t c : {1u, 3u, 24u}) {
        HostTensor logits = check::random_tensor({2, c, 3, 4}, 30 + c, -3.0f, 3.0f);
        HostTensor targets = random_targets(logits.shape, 40 + c);
        auto f = [&](const HostTensor& x) { return double(cpu::cross_entropy_forward(x, targets).loss.data[0]); };
        HostTensor d = cpu::cross_entropy_backward(logits, targets);
        INFO("C = " << c);
        if (c == 1) {   // a single class: the loss is 0 whatever the logits, and so is its gradient
            for (float v : d.data) CHECK(v == 0.0f);
            CHECK(f(logits) == 0.0);
        } else {
            CHECK(test::finite_difference_error(f, logits, d, 1e-2f, 60) < 1e-3);
        }
    }
}

TEST_CASE("cross_entropy: CPU reference and GPU match PyTorch", "[gpu][cross_entropy][golden]") {
    auto g = test::load_golden("cross_entropy");
    const HostTensor &logits = g["logits"], &targets = g["target"];
    auto ref = cpu::cross_entropy_forward(logits, targets);
    CHECK(check::relative_error(ref.loss.data, g["loss"].data) < check::k_forward_tolerance);
    CHECK(ref.argmax.data == g["argmax"].data);   // exact, ties included
    CHECK(ref.correct.data == g["correct"].data);
    CHECK(check::relative_error(cpu::cross_entropy_backward(logits, targets).data, g["dlogits"].data) <
          check::k_backward_tolerance);

    auto got = run_gpu(test::gpu(), logits, targets);
    CHECK(check::relative_error(got.loss, g["loss"].data) < check::k_forward_tolerance);
    CHECK(got.argmax == g["argmax"].data);
    CHECK(got.correct == g["correct"].data);
    CHECK(check::relative_error(got.dlogits, g["dlogits"].data) < check::k_backward_tolerance);
    test::require_no_validation_messages();
}

TEST_CASE("cross_entropy: argmax ties go to the lowest class, as torch.argmax", "[gpu][cross_entropy]") {
    // Four pixels (1 x 4 x 1 x 4), four classes; logits[c][pixel]:
    //   pixel 0: 1 3 3 0 -> 1      pixel 1: all 2 -> 0
    //   pixel 2: 0 1 5 5 -> 2      pixel 3: -1 -2 -3 -1 -> 0
    HostTensor logits({1, 4, 1, 4});
    logits.data = {1, 2, 0, -1,  3, 2, 1, -2,  3, 2, 5, -3,  0, 2, 5, -1};
    HostTensor targets({1, 1, 1, 4});
    targets.data = {2, 0, 2, 3};   // correct: pixels 1 and 2 only (pixels 0 and 3 pick the other tie)
    std::vector<float> want_argmax = {1, 0, 2, 0};
    auto ref = cpu::cross_entropy_forward(logits, targets);
    CHECK(ref.argmax.data == want_argmax);
    CHECK(ref.correct.data[0] == 2.0f);
    auto got = run_gpu(test::gpu(), logits, targets);
    CHECK(got.argmax == want_argmax);
    CHECK(got.correct[0] == 2.0f);
    test::require_no_validation_messages();
}

TEST_CASE("cross_entropy: invalid targets throw on the host and give NaN on the GPU", "[gpu][cross_entropy]") {
    // Planes of 6 pixels (one pixel an invocation) and of 8 (whole vec4s: four at a time).
    for (Shape s : {Shape{1, 5, 2, 3}, Shape{1, 5, 2, 4}}) {
    INFO("shape " << s.str());
    HostTensor logits = check::random_tensor(s, 50, -2.0f, 2.0f);
    HostTensor good = random_targets(s, 51);
    CHECK_NOTHROW(cpu::validate_class_targets(good, s.c));
    for (float bad : {-1.0f, 5.0f, 1.5f, NAN}) {
        HostTensor t = good;
        t.data[4] = bad;
        INFO("target " << bad);
        CHECK_THROWS_AS(cpu::validate_class_targets(t, s.c), Error);
        CHECK_THROWS_AS(cpu::cross_entropy_forward(logits, t), Error);

        auto got = run_gpu(test::gpu(), logits, t);
        CHECK(std::isnan(got.loss[0]));
        // The other pixels are untouched: their gradient rows are the valid reference's.
        HostTensor d_good = cpu::cross_entropy_backward(logits, good);
        auto good_run = cpu::cross_entropy_forward(logits, good);
        uint32_t HW = s.h * s.w;
        for (uint32_t c = 0; c < s.c; ++c)
            for (uint32_t p = 0; p < HW; ++p) {
                float v = got.dlogits[c * HW + p];
                if (p == 4) CHECK(std::isnan(v));
                else CHECK(std::fabs(v - d_good.data[c * HW + p]) < 1e-6f);
            }
        float good_correct_elsewhere = good_run.correct.data[0] - (good_run.argmax.data[4] == good.data[4] ? 1.0f : 0.0f);
        CHECK(got.correct[0] == good_correct_elsewhere);   // the bad pixel never counts
        CHECK(got.argmax == good_run.argmax.data);
    }
    }
    test::require_no_validation_messages();
}

TEST_CASE("cross_entropy: the same input gives the same bits, run after run", "[gpu][cross_entropy][determinism]") {
    auto& ctx = test::gpu();
    Shape s{8, 24, 31, 33};   // many chunks, pixel counts not multiples of the workgroup size
    HostTensor logits = check::random_tensor(s, 60, -6.0f, 6.0f), targets = random_targets(s, 61);
    auto a = run_gpu(ctx, logits, targets), b = run_gpu(ctx, logits, targets, 3);   // separate recordings; replays
    CHECK(a.loss == b.loss);
    CHECK(a.dlogits == b.dlogits);
    CHECK(a.argmax == b.argmax);
    CHECK(a.correct == b.correct);
    CHECK(a.loss[0] > 0.0f);
    test::require_no_validation_messages();
}
