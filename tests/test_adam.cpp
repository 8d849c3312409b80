// Adam and AdamW, one optimizer (shaders adam_step, adam_update; AdamW is Adam with
// decoupled_weight_decay): GPU vs CPU, one recording replayed step after step against PyTorch's
// golden values (tests/golden/adam.json and adamw.json, from torch.optim.Adam and AdamW),
// PyTorch's default AdamW decay, the shape of the recording, determinism, an exact resume. The
// golden and recording tests run once per mode through the same helpers.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

#include "gpu_fixture.hpp"
#include "op_test.hpp"
#include "optimizer_replay.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/optim/adam.hpp"
#include "vkcolor/optim/optimizer.hpp"

using namespace vkcolor;

namespace {
// `base` (Adam's or AdamW's defaults) with the golden file's settings for the case `prefix`.
optim::AdamOptions golden_options(const test::Golden& g, const std::string& prefix, optim::AdamOptions base) {
    base.lr = g.params["lr"].get<float>();
    base.beta1 = g.params["betas"][0].get<double>();
    base.beta2 = g.params["betas"][1].get<double>();
    base.eps = g.params["eps"].get<double>();
    base.weight_decay = g.params["weight_decay"][prefix].get<double>();
    return base;
}

// The golden cases of each file: its weight decays, by name.
const std::vector<std::string> k_adam_cases = {"plain", "wd"};
const std::vector<std::string> k_adamw_cases = {"default", "wd", "nowd"};

// The CPU reference, step after step, against the golden file `name` (a conv weight and a bias).
void cpu_matches_golden(const std::string& name, const std::vector<std::string>& cases, const optim::AdamOptions& base) {
    auto g = test::load_golden(name);
    int steps = g.params["steps"].get<int>();
    for (const std::string& prefix : cases) {
        INFO(prefix);
        auto o = golden_options(g, prefix, base);
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

// One GPU recording, replayed once per step, against the golden file `name`.
void gpu_replay_matches_golden(const std::string& name, const std::vector<std::string>& cases,
                               const optim::AdamOptions& base) {
    auto& ctx = test::gpu();
    auto g = test::load_golden(name);
    int steps = g.params["steps"].get<int>();
    for (const std::string& prefix : cases) {
        INFO(prefix);
        Tensor w = check::to_gpu(ctx, g[prefix + "_p0"]), b = check::to_gpu(ctx, g[prefix + "_b0"]);
        Tensor gw(ctx, w.shape()), gb(ctx, b.shape());
        optim::Adam adam(ctx, golden_options(g, prefix, base));
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

// A step records adam_step, then one adam_update per tensor with a barrier after adam_step only.
void step_is_state_update_then_tensor_updates(const optim::AdamOptions& o) {
    auto& ctx = test::gpu();
    std::deque<Tensor> tensors;   // stable addresses for the optimizer
    optim::Adam adam(ctx, o);
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
} // namespace

// --- Adam (weight decay as an L2 penalty through the gradient) ---------------------------------

TEST_CASE("adam: GPU matches the CPU reference", "[gpu][adam]") { test::require_op_check_passes("adam"); }

TEST_CASE("adam: CPU reference matches PyTorch step by step", "[adam][golden]") {
    cpu_matches_golden("adam", k_adam_cases, {});
}

TEST_CASE("adam: one recording replayed every step matches PyTorch", "[gpu][adam][golden]") {
    gpu_replay_matches_golden("adam", k_adam_cases, {});
}

TEST_CASE("adam: one step is a state update then independent tensor updates", "[gpu][adam]") {
    step_is_state_update_then_tensor_updates({});
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
        test::replay_steps(ctx, adam, grad, 1, 3, [&](uint32_t k) { return check::random_tensor(s, 80 + k); });
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

// --- AdamW (decoupled_weight_decay: the parameter decays, the gradient does not) ---------------

TEST_CASE("adamw: GPU matches the CPU reference", "[gpu][adamw]") { test::require_op_check_passes("adamw"); }

TEST_CASE("adamw: the default weight decay is PyTorch's", "[adamw][golden]") {
    auto g = test::load_golden("adamw");
    CHECK(optim::adamw_defaults().weight_decay == g.params["weight_decay"]["default"].get<double>());
    CHECK(optim::adamw_defaults().weight_decay == 0.01);
    CHECK(optim::adamw_defaults().decoupled_weight_decay);
}

TEST_CASE("adamw: --optimizer adamw is Adam with decoupled weight decay", "[adamw][optimizer]") {
    // The one optimizer class is AdamW only through this flag: the trainer's description must set
    // it for kind AdamW (with PyTorch's default decay) and for no other kind.
    optim::OptimizerConfig adamw{.kind = optim::OptimizerKind::AdamW,
                                 .weight_decay = optim::default_weight_decay(optim::OptimizerKind::AdamW)};
    CHECK(optim::adam_options(adamw).decoupled_weight_decay);
    CHECK(optim::adam_options(adamw).weight_decay == 0.01);
    optim::OptimizerConfig adam{.kind = optim::OptimizerKind::Adam, .weight_decay = 0.01};
    CHECK_FALSE(optim::adam_options(adam).decoupled_weight_decay);
    CHECK(optim::default_weight_decay(optim::OptimizerKind::Adam) == 0.0);
}

TEST_CASE("adamw: CPU reference matches PyTorch step by step", "[adamw][golden]") {
    cpu_matches_golden("adamw", k_adamw_cases, optim::adamw_defaults());
}

TEST_CASE("adamw: one recording replayed every step matches PyTorch", "[gpu][adamw][golden]") {
    gpu_replay_matches_golden("adamw", k_adamw_cases, optim::adamw_defaults());
}

TEST_CASE("adamw: one step is a state update then independent tensor updates", "[gpu][adamw]") {
    step_is_state_update_then_tensor_updates(optim::adamw_defaults());
}

TEST_CASE("adamw: a run resumed from saved state continues bit for bit", "[gpu][adamw][determinism]") {
    auto& ctx = test::gpu();
    Shape s{5, 7, 13, 11};
    HostTensor p0 = check::random_tensor(s, 270);
    optim::AdamOptions o = optim::adamw_defaults();
    o.lr = 0.01f;
    o.weight_decay = 0.1;
    auto run = [&](optim::Adam& opt, Tensor& grad, uint32_t from, uint32_t to) {
        test::replay_steps(ctx, opt, grad, from, to, [&](uint32_t k) { return check::random_tensor(s, 280 + k); });
    };
    Tensor p = check::to_gpu(ctx, p0), grad(ctx, s);
    optim::Adam straight(ctx, o);
    straight.add(p, grad);
    run(straight, grad, 1, 5);

    Tensor q = check::to_gpu(ctx, p0), qgrad(ctx, s);
    std::vector<uint32_t> state;
    HostTensor m, v;
    {
        optim::Adam first(ctx, o);
        first.add(q, qgrad);
        run(first, qgrad, 1, 3);
        state = first.step_state();
        m = first.exp_avg(0).download_host(ctx);
        v = first.exp_avg_sq(0).download_host(ctx);
    }
    optim::Adam resumed(ctx, o);
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
