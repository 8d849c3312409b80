// AdamW (shaders adam_step, adamw_update): GPU vs CPU, one recording replayed every step against
// PyTorch's golden values, PyTorch's default decay, the shape of the recording, an exact resume.
#include <catch2/catch.hpp>

#include <deque>

#include "gpu_fixture.hpp"
#include "op_test.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/optim/adamw.hpp"

using namespace vkcolor;

namespace {
optim::AdamWOptions golden_options(const test::Golden& g, const std::string& prefix) {
    optim::AdamWOptions o;
    o.lr = g.params["lr"].get<float>();
    o.beta1 = g.params["betas"][0].get<double>();
    o.beta2 = g.params["betas"][1].get<double>();
    o.eps = g.params["eps"].get<double>();
    o.weight_decay = g.params["weight_decay"][prefix].get<double>();
    return o;
}
const char* const k_prefixes[] = {"default", "wd", "nowd"};
} // namespace

TEST_CASE("adamw: GPU matches the CPU reference", "[gpu][adamw]") { test::require_op_check_passes("adamw"); }

TEST_CASE("adamw: the default weight decay is PyTorch's", "[adamw][golden]") {
    auto g = test::load_golden("adamw");
    CHECK(optim::AdamWOptions{}.weight_decay == g.params["weight_decay"]["default"].get<double>());
    CHECK(optim::AdamWOptions{}.weight_decay == 0.01);
}

TEST_CASE("adamw: CPU reference matches PyTorch step by step", "[adamw][golden]") {
    auto g = test::load_golden("adamw");
    int steps = g.params["steps"].get<int>();
    for (std::string prefix : k_prefixes) {
        INFO(prefix);
        auto o = golden_options(g, prefix);
        HostTensor w = g[prefix + "_p0"], b = g[prefix + "_b0"];
        HostTensor mw(w.shape), vw(w.shape), mb(b.shape), vb(b.shape);
        for (int k = 1; k <= steps; ++k) {
            INFO("step " << k);
            std::string s = std::to_string(k);
            optim::cpu::adamw_update(w, g[prefix + "_g" + s], mw, vw, uint32_t(k), o.lr, o);
            optim::cpu::adamw_update(b, g[prefix + "_gb" + s], mb, vb, uint32_t(k), o.lr, o);
            CHECK(check::relative_error(w.data, g[prefix + "_p" + s].data) < check::k_forward_tolerance);
            CHECK(check::relative_error(b.data, g[prefix + "_b" + s].data) < check::k_forward_tolerance);
        }
    }
}

TEST_CASE("adamw: one recording replayed every step matches PyTorch", "[gpu][adamw][golden]") {
    auto& ctx = test::gpu();
    auto g = test::load_golden("adamw");
    int steps = g.params["steps"].get<int>();
    for (std::string prefix : k_prefixes) {
        INFO(prefix);
        Tensor w = check::to_gpu(ctx, g[prefix + "_p0"]), b = check::to_gpu(ctx, g[prefix + "_b0"]);
        Tensor gw(ctx, w.shape()), gb(ctx, b.shape());
        optim::AdamW adamw(ctx, golden_options(g, prefix));
        adamw.add(w, gw);
        adamw.add(b, gb);
        gpu::Recording rec(ctx);
        adamw.record(rec);
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
        CHECK(adamw.step_count() == uint32_t(steps));
    }
    test::require_no_validation_messages();
}

TEST_CASE("adamw: one step is a state update then independent tensor updates", "[gpu][adamw]") {
    auto& ctx = test::gpu();
    std::deque<Tensor> tensors;   // stable addresses for the optimizer
    optim::AdamW adamw(ctx, {});
    for (Shape s : {Shape{8, 3, 3, 3}, Shape{1, 8, 1, 1}, Shape{2, 8, 3, 3}}) {
        tensors.emplace_back(ctx, s);
        tensors.emplace_back(ctx, s);
        adamw.add(tensors[tensors.size() - 2], tensors.back());
    }
    gpu::Recording rec(ctx);
    adamw.record(rec);
    rec.finish();
    CHECK(rec.dispatch_count() == 1 + adamw.size());
    CHECK(rec.barrier_count() == 1);   // after adam_step only: the updates touch disjoint buffers
}

TEST_CASE("adamw: a run resumed from saved state continues bit for bit", "[gpu][adamw][determinism]") {
    auto& ctx = test::gpu();
    Shape s{5, 7, 13, 11};
    HostTensor p0 = check::random_tensor(s, 270);
    optim::AdamWOptions o;
    o.lr = 0.01f;
    o.weight_decay = 0.1;
    auto run = [&](optim::AdamW& opt, Tensor& grad, uint32_t from, uint32_t to) {
        gpu::Recording rec(ctx);
        opt.record(rec);
        rec.finish();
        for (uint32_t k = from; k <= to; ++k) {
            grad.upload(ctx, check::random_tensor(s, 280 + k));
            ctx.run(rec);
        }
    };
    Tensor p = check::to_gpu(ctx, p0), grad(ctx, s);
    optim::AdamW straight(ctx, o);
    straight.add(p, grad);
    run(straight, grad, 1, 5);

    Tensor q = check::to_gpu(ctx, p0), qgrad(ctx, s);
    std::vector<uint32_t> state;
    HostTensor m, v;
    {
        optim::AdamW first(ctx, o);
        first.add(q, qgrad);
        run(first, qgrad, 1, 3);
        state = first.step_state();
        m = first.exp_avg(0).download_host(ctx);
        v = first.exp_avg_sq(0).download_host(ctx);
    }
    optim::AdamW resumed(ctx, o);
    resumed.add(q, qgrad);
    resumed.set_step_state(state);
    resumed.set_moments(0, m, v);
    CHECK(resumed.step_count() == 3);
    run(resumed, qgrad, 4, 5);
    CHECK(q.download(ctx) == p.download(ctx));
    CHECK(resumed.exp_avg_sq(0).download(ctx) == straight.exp_avg_sq(0).download(ctx));
    CHECK(p.download(ctx) != p0.data);
    test::require_no_validation_messages();
}
