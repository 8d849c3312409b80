// Add and multiply with channel broadcasting (shaders elementwise_add_broadcast,
// elementwise_mul_broadcast, sum_over_channels; per-channel gradients by channel_sum_partial and
// sum_partials): GPU vs CPU, finite differences, PyTorch golden vectors, determinism.
#include <catch2/catch.hpp>

#include "gpu_fixture.hpp"
#include "op_test.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/layers/elementwise.hpp"

using namespace vkcolor;
namespace cpu = vkcolor::layers::cpu;

namespace {
struct GpuResult {
    std::vector<float> y, da, db;
};

// Forward then backward on the GPU; `replays` extra submissions of the same recording.
GpuResult run_gpu(bool mul, const HostTensor& a, const HostTensor& b, const HostTensor& dy, int replays = 0) {
    auto& ctx = test::gpu();
    Tensor ga = check::to_gpu(ctx, a), gb = check::to_gpu(ctx, b), gdy = check::to_gpu(ctx, dy);
    Tensor gy(ctx, a.shape), gda(ctx, a.shape), gdb(ctx, b.shape);
    gpu::Recording rec(ctx);
    if (mul) {
        layers::mul_broadcast(rec, ga, gb, gy);
        layers::mul_broadcast_backward(rec, ga, gb, gdy, gda, gdb);
    } else {
        layers::add_broadcast(rec, ga, gb, gy);
        layers::add_broadcast_backward(rec, gdy, gda, gdb);
    }
    rec.finish();
    for (int i = 0; i <= replays; ++i) ctx.run(rec);
    return {gy.download(ctx), gda.download(ctx), gdb.download(ctx)};
}

const Shape k_a{2, 3, 5, 7};
const std::vector<Shape> k_b_shapes = {{2, 3, 5, 7}, {2, 1, 5, 7}, {1, 3, 1, 1}};
} // namespace

TEST_CASE("add_broadcast: GPU matches the CPU reference", "[gpu][add_broadcast]") {
    test::require_op_check_passes("add_broadcast");
}

TEST_CASE("mul_broadcast: GPU matches the CPU reference", "[gpu][mul_broadcast]") {
    test::require_op_check_passes("mul_broadcast");
}

TEST_CASE("broadcast: which shapes broadcast how", "[add_broadcast][mul_broadcast]") {
    using layers::Broadcast;
    CHECK(layers::broadcast_of(k_a, {2, 3, 5, 7}) == Broadcast::Same);
    CHECK(layers::broadcast_of(k_a, {2, 1, 5, 7}) == Broadcast::OverChannels);
    CHECK(layers::broadcast_of(k_a, {1, 3, 1, 1}) == Broadcast::PerChannel);
    CHECK(layers::broadcast_of({1, 1, 1, 1}, {1, 1, 1, 1}) == Broadcast::Same);
    for (Shape bad : {Shape{1, 1, 5, 7}, Shape{2, 3, 1, 1}, Shape{1, 1, 1, 1}, Shape{2, 2, 5, 7}})
        CHECK_THROWS_AS(layers::broadcast_of(k_a, bad), Error);
    CHECK_THROWS_AS(cpu::add_broadcast(HostTensor(k_a), HostTensor({2, 3, 1, 1})), Error);
}

TEST_CASE("broadcast: the CPU forward is float arithmetic on the paired elements", "[add_broadcast][mul_broadcast]") {
    HostTensor a = check::random_tensor(k_a, 71);
    HostTensor over = check::random_tensor({2, 1, 5, 7}, 72), per = check::random_tensor({1, 3, 1, 1}, 73);
    HostTensor y1 = cpu::add_broadcast(a, over), y2 = cpu::mul_broadcast(a, per);
    CHECK(y1.at(1, 2, 4, 6) == a.at(1, 2, 4, 6) + over.at(1, 0, 4, 6));
    CHECK(y1.at(0, 1, 3, 2) == a.at(0, 1, 3, 2) + over.at(0, 0, 3, 2));
    CHECK(y2.at(1, 2, 4, 6) == a.at(1, 2, 4, 6) * per.at(0, 2, 0, 0));
    CHECK(y2.at(0, 1, 3, 2) == a.at(0, 1, 3, 2) * per.at(0, 1, 0, 0));
}

TEST_CASE("broadcast: CPU backward matches finite differences", "[add_broadcast][mul_broadcast][fd]") {
    uint32_t seed = 80;
    for (Shape bs : k_b_shapes) {
        INFO("b " << bs.str());
        HostTensor a = check::random_tensor(k_a, ++seed), b = check::random_tensor(bs, ++seed);
        HostTensor g = check::random_tensor(k_a, ++seed);
        auto add_a = [&](const HostTensor& in) { return test::dot(cpu::add_broadcast(in, b), g); };
        auto add_b = [&](const HostTensor& in) { return test::dot(cpu::add_broadcast(a, in), g); };
        auto mul_a = [&](const HostTensor& in) { return test::dot(cpu::mul_broadcast(in, b), g); };
        auto mul_b = [&](const HostTensor& in) { return test::dot(cpu::mul_broadcast(a, in), g); };
        auto add = cpu::add_broadcast_backward(g, bs);
        auto mul = cpu::mul_broadcast_backward(a, b, g);
        CHECK(test::finite_difference_error(add_a, a, add.da, 1e-2f, 60) < 1e-3);
        CHECK(test::finite_difference_error(add_b, b, add.db, 1e-2f, 60) < 1e-3);
        CHECK(test::finite_difference_error(mul_a, a, mul.da, 1e-2f, 60) < 1e-3);
        CHECK(test::finite_difference_error(mul_b, b, mul.db, 1e-2f, 60) < 1e-3);
    }
}

TEST_CASE("broadcast: CPU and GPU match PyTorch", "[gpu][add_broadcast][mul_broadcast][golden]") {
    for (bool mul : {false, true}) {
        auto g = test::load_golden(mul ? "mul_broadcast" : "add_broadcast");
        for (const auto& kind : g.params["kinds"]) {
            std::string k = kind.get<std::string>();
            INFO((mul ? "mul " : "add ") << k);
            const HostTensor &a = g[k + "_a"], &b = g[k + "_b"], &dy = g[k + "_dy"];
            HostTensor y = mul ? cpu::mul_broadcast(a, b) : cpu::add_broadcast(a, b);
            auto grads = mul ? cpu::mul_broadcast_backward(a, b, dy) : cpu::add_broadcast_backward(dy, b.shape);
            CHECK(check::relative_error(y.data, g[k + "_y"].data) < check::k_forward_tolerance);
            CHECK(check::relative_error(grads.da.data, g[k + "_da"].data) < check::k_backward_tolerance);
            CHECK(grads.db.shape == g[k + "_db"].shape);
            CHECK(check::relative_error(grads.db.data, g[k + "_db"].data) < check::k_backward_tolerance);

            auto gpu = run_gpu(mul, a, b, dy);
            CHECK(check::relative_error(gpu.y, g[k + "_y"].data) < check::k_forward_tolerance);
            CHECK(check::relative_error(gpu.da, g[k + "_da"].data) < check::k_backward_tolerance);
            CHECK(check::relative_error(gpu.db, g[k + "_db"].data) < check::k_backward_tolerance);
        }
    }
    test::require_no_validation_messages();
}

TEST_CASE("broadcast: the same inputs give the same bits, run after run", "[gpu][mul_broadcast][determinism]") {
    // Shapes whose broadcast gradients are long reductions: 64 channels per pixel, and
    // 8 * 33 * 31 pixels per channel (several chunks of channel_sum).
    Shape s{8, 64, 33, 31};
    HostTensor a = check::random_tensor(s, 91), dy = check::random_tensor(s, 92);
    for (Shape bs : {Shape{8, 1, 33, 31}, Shape{1, 64, 1, 1}}) {
        INFO("b " << bs.str());
        HostTensor b = check::random_tensor(bs, 93);
        for (bool mul : {false, true}) {
            auto first = run_gpu(mul, a, b, dy), second = run_gpu(mul, a, b, dy, 2);
            CHECK(first.db == second.db);
            CHECK(first.da == second.da);
            HostTensor want = mul ? cpu::mul_broadcast_backward(a, b, dy).db : cpu::add_broadcast_backward(dy, bs).db;
            CHECK(check::relative_error(first.db, want.data) < check::k_backward_tolerance);
        }
    }
    test::require_no_validation_messages();
}
