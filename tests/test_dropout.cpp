// Dropout (shaders dropout_apply_mask, dropout_next_step): GPU vs CPU (exact), the mask's
// statistics, finite differences, PyTorch golden (with vkcolor's mask), replays with a new mask
// each step.
#include <catch2/catch.hpp>

#include <cmath>

#include "gpu_fixture.hpp"
#include "op_test.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/layers/dropout.hpp"

using namespace vkcolor;
namespace cpu = vkcolor::layers::cpu;
using layers::DropoutParams;

namespace {
double dropped_fraction(const HostTensor& m) {
    size_t zeros = 0;
    for (float v : m.data) zeros += v == 0.0f;
    return double(zeros) / double(m.data.size());
}

gpu::Buffer step_counter(gpu::Context& ctx, uint32_t step) {
    gpu::Buffer b = ctx.create_buffer(layers::k_dropout_step_bytes);
    ctx.upload(b, &step, sizeof step);
    return b;
}
} // namespace

TEST_CASE("dropout: GPU matches the CPU reference exactly", "[gpu][dropout]") { test::require_op_check_passes("dropout"); }

TEST_CASE("dropout: masks drop a fraction p, differ by seed and step, and scale by 1/(1-p)", "[dropout]") {
    Shape s{4, 5, 70, 71};   // 99400 elements: 4 standard deviations of the dropped fraction < 0.007
    for (float p : {0.1f, 0.5f, 0.9f}) {
        INFO("p = " << p);
        HostTensor m = cpu::dropout_mask(s, {p, 3, true}, 17);
        CHECK(std::fabs(dropped_fraction(m) - p) < 4 * std::sqrt(p * (1 - p) / double(m.data.size())));
        for (float v : m.data) REQUIRE((v == 0.0f || v == layers::dropout_scale(p)));
        // Another step or another seed: a different mask, as independent as a fresh draw (both
        // kept or both dropped with probability p^2 + (1-p)^2).
        for (auto other : {cpu::dropout_mask(s, {p, 3, true}, 18), cpu::dropout_mask(s, {p, 4, true}, 17)}) {
            size_t same = 0;
            for (size_t i = 0; i < m.data.size(); ++i) same += (m.data[i] == 0.0f) == (other.data[i] == 0.0f);
            double agree = double(same) / double(m.data.size()), expected = p * p + (1 - p) * (1 - p);
            CHECK(std::fabs(agree - expected) < 0.01);
        }
    }
    CHECK(layers::dropout_scale(0.5f) == 2.0f);
    CHECK(layers::dropout_threshold(0.0f) == 0u);            // keeps everything
    CHECK(layers::dropout_threshold(0.25f) == 0x40000000u);
    CHECK(layers::dropout_threshold(1.0f) == 0xffffffffu);
    CHECK_THROWS_WITH(layers::dropout_scale(1.5f), Catch::Contains("not a probability"));

    HostTensor x = check::random_tensor({2, 3, 5, 7}, 5);
    CHECK(cpu::dropout_forward(x, {0.0f, 1, true}, 2).data == x.data);   // p = 0: identity
    CHECK(cpu::dropout_forward(x, {0.7f, 1, false}, 2).data == x.data);  // eval: identity
    CHECK(dropped_fraction(cpu::dropout_forward(x, {1.0f, 1, true}, 2)) == 1.0);   // p = 1: zeros
}

TEST_CASE("dropout: CPU backward matches finite differences", "[dropout][fd]") {
    HostTensor x = check::random_tensor({2, 3, 5, 7}, 7), g = check::random_tensor(x.shape, 8);
    DropoutParams prm{0.3f, 11, true};
    auto f = [&](const HostTensor& in) { return test::dot(cpu::dropout_forward(in, prm, 5), g); };
    CHECK(test::finite_difference_error(f, x, cpu::dropout_backward(g, prm, 5), 1e-2f, 210) < 1e-3);
}

TEST_CASE("dropout: the mask hash, CPU reference and GPU match PyTorch given vkcolor's mask", "[gpu][dropout][golden]") {
    // The golden file's mask comes from an independent Python implementation of dropout_hash;
    // PyTorch computes y = x * mask / (1 - p) and its gradient (its own RNG cannot be matched).
    auto g = test::load_golden("dropout");
    DropoutParams prm{g.params["p"].get<float>(), g.params["seed"].get<uint32_t>(), true};
    uint32_t step = g.params["step"].get<uint32_t>();
    HostTensor mask = cpu::dropout_mask(g["x"].shape, prm, step);
    for (auto& v : mask.data) v = v != 0.0f ? 1.0f : 0.0f;
    CHECK(mask.data == g["mask"].data);
    CHECK(check::relative_error(cpu::dropout_forward(g["x"], prm, step).data, g["y"].data) < check::k_forward_tolerance);
    CHECK(check::relative_error(cpu::dropout_backward(g["dy"], prm, step).data, g["dx"].data) <
          check::k_backward_tolerance);

    auto& ctx = test::gpu();
    gpu::Buffer counter = step_counter(ctx, step);
    Tensor gx = check::to_gpu(ctx, g["x"]), gdy = check::to_gpu(ctx, g["dy"]), gy(ctx, g["x"].shape),
           gdx(ctx, g["x"].shape);
    gpu::Recording rec(ctx);
    layers::dropout_forward(rec, counter, gx, gy, prm);
    layers::dropout_backward(rec, counter, gdy, gdx, prm);
    rec.finish();
    ctx.run(rec);
    CHECK(check::relative_error(gy.download(ctx), g["y"].data) < check::k_forward_tolerance);
    CHECK(check::relative_error(gdx.download(ctx), g["dx"].data) < check::k_backward_tolerance);
    test::require_no_validation_messages();
}

TEST_CASE("dropout: a replayed recording advances the step and gets the CPU's mask of each step", "[gpu][dropout]") {
    auto& ctx = test::gpu();
    Shape s{2, 5, 13, 11};
    DropoutParams prm{0.4f, 21, true};
    HostTensor x = check::random_tensor(s, 31), dy = check::random_tensor(s, 32);
    gpu::Buffer counter = step_counter(ctx, 0xfffffffeu);   // wraps to 0 on the second replay
    Tensor gx = check::to_gpu(ctx, x), gdy = check::to_gpu(ctx, dy), gy(ctx, s), gdx(ctx, s);
    gpu::Recording rec(ctx);
    layers::dropout_next_step(rec, counter);
    layers::dropout_forward(rec, counter, gx, gy, prm);
    layers::dropout_backward(rec, counter, gdy, gdx, prm);
    rec.finish();
    std::vector<float> previous;
    for (uint32_t step : {0xffffffffu, 0u, 1u}) {
        INFO("step " << step);
        ctx.run(rec);
        auto y = gy.download(ctx);
        CHECK(y == cpu::dropout_forward(x, prm, step).data);     // bit for bit
        CHECK(gdx.download(ctx) == cpu::dropout_backward(dy, prm, step).data);
        CHECK(y != previous);
        previous = y;
    }
    uint32_t last = 0;
    ctx.download(counter, &last, sizeof last);
    CHECK(last == 1u);
    test::require_no_validation_messages();
}
