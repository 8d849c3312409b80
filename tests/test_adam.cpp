// Adam (shaders adam_step, adam_update): GPU vs CPU, one recording replayed step after step
// against PyTorch's golden values, the shape of the recording, determinism.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <deque>

#include "gpu_fixture.hpp"
#include "op_test.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/optim/adam.hpp"

using namespace vkcolor;

namespace {
optim::AdamOptions golden_options(const test::Golden& g, const std::string& prefix) {
    optim::AdamOptions o;
    o.lr = g.params["lr"].get<float>();
    o.beta1 = g.params["betas"][0].get<double>();
    o.beta2 = g.params["betas"][1].get<double>();
    o.eps = g.params["eps"].get<double>();
    o.weight_decay = g.params["weight_decay"][prefix].get<double>();
    return o;
}
} // namespace

TEST_CASE("adam: GPU matches the CPU reference", "[gpu][adam]") { test::require_op_check_passes("adam"); }

TEST_CASE("adam: CPU reference matches PyTorch step by step", "[adam][golden]") {
    auto g = test::load_golden("adam");
    int steps = g.params["steps"].get<int>();
    for (std::string prefix : {"plain", "wd"}) {
        INFO(prefix);
        auto o = golden_options(g, prefix);
        HostTensor w = g[prefix + "_p0"], b = g[prefix + "_b0"];
        HostTensor mw(w.shape), vw(w.shape), mb(b.shape), vb(b.shape);
        for (int k = 1; k <= steps; ++k) {
            INFO("step " << k);
            std::string s = std::to_string(k);
            optim::cpu::adam_update(w, g[prefix + "_g" + s], mw, vw, uint32_t(k), o.lr, o);
            optim::cpu::adam_update(b, g[prefix + "_gb" + s], mb, vb, uint32_t(k), o.lr, o);
            CHECK(check::relative_error(w.data, g[prefix + "_p" + s].data) < check::k_forward_tolerance);
            CHECK(check::relative_error(b.data, g[prefix + "_b" + s].data) < check::k_forward_tolerance);
        }
    }
}

TEST_CASE("adam: one recording replayed every step matches PyTorch", "[gpu][adam][golden]") {
    auto& ctx = test::gpu();
    auto g = test::load_golden("adam");
    int steps = g.params["steps"].get<int>();
    for (std::string prefix : {"plain", "wd"}) {
        INFO(prefix);
        Tensor w = check::to_gpu(ctx, g[prefix + "_p0"]), b = check::to_gpu(ctx, g[prefix + "_b0"]);
        Tensor gw(ctx, w.shape()), gb(ctx, b.shape());
        optim::Adam adam(ctx, golden_options(g, prefix));
        adam.add(w, gw);
        adam.add(b, gb);
        gpu::Recording rec(ctx);
        adam.record(rec);
        rec.finish();
        for (int k = 1; k <= steps; ++k) {
            INFO("step " << k);
            std::string s = std::to_string(k);
            gw.upload(ctx, g[prefix + "_g" + s]);
            gb.upload(ctx, g[prefix + "_gb" + s]);
            ctx.run(rec);
            CHECK(check::relative_error(w.download(ctx), g[prefix + "_p" + s].data) < check::k_forward_tolerance);
            CHECK(check::relative_error(b.download(ctx), g[prefix + "_b" + s].data) < check::k_forward_tolerance);
        }
        CHECK(adam.step_count() == uint32_t(steps));
    }
    test::require_no_validation_messages();
}

TEST_CASE("adam: one step is a state update then independent tensor updates", "[gpu][adam]") {
    auto& ctx = test::gpu();
    std::deque<Tensor> tensors;   // stable addresses for the optimizer
    optim::Adam adam(ctx, {});
    for (Shape s : {Shape{8, 3, 3, 3}, Shape{1, 8, 1, 1}, Shape{2, 8, 3, 3}}) {
        tensors.emplace_back(ctx, s);
        tensors.emplace_back(ctx, s);
        adam.add(tensors[tensors.size() - 2], tensors.back());
    }
    gpu::Recording rec(ctx);
    adam.record(rec);
    rec.finish();
    CHECK(rec.dispatch_count() == 1 + adam.size());
    CHECK(rec.barrier_count() == 1);   // after adam_step only: the updates touch disjoint buffers
}

TEST_CASE("adam: the same inputs give the same bits, run after run", "[gpu][adam][determinism]") {
    auto& ctx = test::gpu();
    Shape s{5, 7, 13, 11};
    HostTensor p0 = check::random_tensor(s, 70);
    std::vector<std::vector<float>> results;
    for (int run = 0; run < 2; ++run) {
        Tensor p = check::to_gpu(ctx, p0), grad(ctx, s);
        optim::AdamOptions o;
        o.weight_decay = 0.01;
        optim::Adam adam(ctx, o);
        adam.add(p, grad);
        gpu::Recording rec(ctx);
        adam.record(rec);
        rec.finish();
        for (uint32_t k = 1; k <= 3; ++k) {
            grad.upload(ctx, check::random_tensor(s, 80 + k));
            ctx.run(rec);
        }
        results.push_back(p.download(ctx));
        auto m = adam.exp_avg(0).download(ctx), v = adam.exp_avg_sq(0).download(ctx);
        results.back().insert(results.back().end(), m.begin(), m.end());
        results.back().insert(results.back().end(), v.begin(), v.end());
    }
    CHECK(results[0] == results[1]);
    CHECK(results[0] != p0.data);
    test::require_no_validation_messages();
}

TEST_CASE("adam: the GPU's bias corrections stay accurate over many steps", "[gpu][adam]") {
    // adam_step keeps 1 - beta^t by a recurrence in fp32; compare it with double after each of
    // 2000 steps (100 steps per recording, replayed 20 times).
    auto& ctx = test::gpu();
    optim::AdamOptions o;
    o.lr = 0.003f;
    gpu::Buffer state = ctx.create_buffer(optim::k_adam_state_bytes);
    std::vector<float> init(optim::k_adam_state_bytes / sizeof(float), 0.0f);
    init[0] = o.lr;
    ctx.upload(state, init.data(), optim::k_adam_state_bytes);
    gpu::Recording rec(ctx);
    for (int i = 0; i < 100; ++i) optim::adam_step(rec, state, o);
    rec.finish();
    double worst = 0;
    for (int replay = 1; replay <= 20; ++replay) {
        ctx.run(rec);
        std::vector<float> s(init.size());
        ctx.download(state, s.data(), optim::k_adam_state_bytes);
        double t = 100.0 * replay;
        uint32_t t_gpu;
        std::memcpy(&t_gpu, &s[1], sizeof t_gpu);
        REQUIRE(t_gpu == uint32_t(t));
        double c1 = 1 - std::pow(o.beta1, t), c2 = 1 - std::pow(o.beta2, t);
        for (auto [got, want] : {std::pair{s[2], c1}, {s[3], c2}, {s[4], o.lr / c1}, {s[5], std::sqrt(c2)}})
            worst = std::max(worst, std::fabs(got - want) / want);
    }
    INFO("worst relative error of the bias corrections " << worst);
    CHECK(worst < 1e-5);
    test::require_no_validation_messages();
}
