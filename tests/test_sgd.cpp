// SGD with momentum and Nesterov (shaders sgd_step, sgd_update, sgd_momentum_update): GPU vs
// CPU, one recording replayed every step against PyTorch's golden values in every setting,
// option checks, the shape of the recording, an exact resume from saved state.
#include <catch2/catch.hpp>

#include <deque>

#include "gpu_fixture.hpp"
#include "op_test.hpp"
#include "optimizer_replay.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/optim/sgd.hpp"

using namespace vkcolor;

namespace {
optim::SgdOptions golden_options(const test::Golden& g, const std::string& config) {
    const auto& c = g.params["configs"][config];
    optim::SgdOptions o;
    o.lr = g.params["lr"].get<float>();
    o.momentum = c["momentum"].get<double>();
    o.dampening = c["dampening"].get<double>();
    o.weight_decay = c["weight_decay"].get<double>();
    o.nesterov = c["nesterov"].get<bool>();
    return o;
}

std::vector<std::string> configs(const test::Golden& g) {
    std::vector<std::string> names;
    for (const auto& [name, value] : g.params["configs"].items()) names.push_back(name);
    return names;
}
} // namespace

TEST_CASE("sgd: GPU matches the CPU reference", "[gpu][sgd]") { test::require_op_check_passes("sgd"); }

TEST_CASE("sgd: CPU reference matches PyTorch step by step", "[sgd][golden]") {
    auto g = test::load_golden("sgd");
    int steps = g.params["steps"].get<int>();
    REQUIRE(configs(g).size() == 6);
    for (const std::string& c : configs(g)) {
        INFO(c);
        auto o = golden_options(g, c);
        HostTensor w = g[c + "_p0"], b = g[c + "_b0"], bw(w.shape), bb(b.shape);
        for (int k = 1; k <= steps; ++k) {
            INFO("step " << k);
            std::string s = std::to_string(k);
            optim::cpu::sgd_update(w, g[c + "_g" + s], bw, uint32_t(k), o.lr, o);
            optim::cpu::sgd_update(b, g[c + "_gb" + s], bb, uint32_t(k), o.lr, o);
            CHECK(check::relative_error(w.data, g[c + "_p" + s].data) < check::k_forward_tolerance);
            CHECK(check::relative_error(b.data, g[c + "_b" + s].data) < check::k_forward_tolerance);
        }
    }
}

TEST_CASE("sgd: one recording replayed every step matches PyTorch", "[gpu][sgd][golden]") {
    auto& ctx = test::gpu();
    auto g = test::load_golden("sgd");
    int steps = g.params["steps"].get<int>();
    for (const std::string& c : configs(g)) {
        INFO(c);
        Tensor w = check::to_gpu(ctx, g[c + "_p0"]), b = check::to_gpu(ctx, g[c + "_b0"]);
        Tensor gw(ctx, w.shape()), gb(ctx, b.shape());
        optim::Sgd sgd(ctx, golden_options(g, c));
        sgd.add(w, gw);
        sgd.add(b, gb);
        gpu::Recording rec(ctx);
        sgd.record(rec);
        rec.finish();
        for (int k = 1; k <= steps; ++k) {
            INFO("step " << k);
            std::string s = std::to_string(k);
            gw.upload(ctx, g[c + "_g" + s]);
            gb.upload(ctx, g[c + "_gb" + s]);
            ctx.run(rec);
            CHECK(check::relative_error(w.download(ctx), g[c + "_p" + s].data) < check::k_forward_tolerance);
            CHECK(check::relative_error(b.download(ctx), g[c + "_b" + s].data) < check::k_forward_tolerance);
        }
        CHECK(sgd.step_count() == uint32_t(steps));
    }
    test::require_no_validation_messages();
}

TEST_CASE("sgd: options PyTorch rejects are rejected", "[gpu][sgd]") {
    auto& ctx = test::gpu();
    optim::SgdOptions o;
    o.nesterov = true;   // without momentum
    CHECK_THROWS_AS(optim::Sgd(ctx, o), Error);
    o.momentum = 0.9;
    o.dampening = 0.1;   // with dampening
    CHECK_THROWS_AS(optim::Sgd(ctx, o), Error);
    o.dampening = 0.0;
    CHECK_NOTHROW(optim::Sgd(ctx, o));
    o.momentum = -0.5;
    o.nesterov = false;
    CHECK_THROWS_AS(optim::Sgd(ctx, o), Error);
    optim::Sgd plain(ctx, {});
    CHECK_FALSE(plain.has_momentum());
    CHECK_THROWS_AS(plain.momentum_buffer(0), Error);
}

TEST_CASE("sgd: one step is a counter update then independent tensor updates", "[gpu][sgd]") {
    auto& ctx = test::gpu();
    for (double momentum : {0.0, 0.9}) {
        std::deque<Tensor> tensors;   // stable addresses for the optimizer
        optim::SgdOptions o;
        o.momentum = momentum;
        optim::Sgd sgd(ctx, o);
        for (Shape s : {Shape{8, 3, 3, 3}, Shape{1, 8, 1, 1}, Shape{2, 8, 3, 3}}) {
            tensors.emplace_back(ctx, s);
            tensors.emplace_back(ctx, s);
            sgd.add(tensors[tensors.size() - 2], tensors.back());
        }
        gpu::Recording rec(ctx);
        sgd.record(rec);
        rec.finish();
        CHECK(rec.dispatch_count() == 1 + sgd.size());
        CHECK(rec.barrier_count() == 1);   // after sgd_step only: the updates touch disjoint buffers
    }
}

TEST_CASE("sgd: a run resumed from saved state continues bit for bit", "[gpu][sgd][determinism]") {
    auto& ctx = test::gpu();
    Shape s{5, 7, 13, 11};
    HostTensor p0 = check::random_tensor(s, 170);
    optim::SgdOptions o;
    o.lr = 0.05f;
    o.momentum = 0.9;
    o.nesterov = true;
    o.weight_decay = 0.01;
    auto grad_of = [&](uint32_t k) { return check::random_tensor(s, 180 + k); };
    auto run = [&](optim::Sgd& sgd, Tensor& grad, uint32_t from, uint32_t to) {
        test::replay_steps(ctx, sgd, grad, from, to, grad_of);
    };
    // Straight through: 5 steps.
    Tensor p = check::to_gpu(ctx, p0), grad(ctx, s);
    optim::Sgd straight(ctx, o);
    straight.add(p, grad);
    run(straight, grad, 1, 5);
    // 3 steps, save, a fresh optimizer restored from the saved state, 2 more.
    Tensor q = check::to_gpu(ctx, p0), qgrad(ctx, s);
    std::vector<uint32_t> state;
    HostTensor saved_buffer;
    {
        optim::Sgd first(ctx, o);
        first.add(q, qgrad);
        run(first, qgrad, 1, 3);
        state = first.step_state();
        saved_buffer = first.momentum_buffer(0).download_host(ctx);
    }
    optim::Sgd resumed(ctx, o);
    resumed.add(q, qgrad);
    resumed.set_step_state(state);
    resumed.set_momentum_buffer(0, saved_buffer);
    CHECK(resumed.step_count() == 3);
    run(resumed, qgrad, 4, 5);
    CHECK(q.download(ctx) == p.download(ctx));
    CHECK(resumed.momentum_buffer(0).download(ctx) == straight.momentum_buffer(0).download(ctx));
    CHECK(p.download(ctx) != p0.data);
    CHECK_THROWS_AS(resumed.set_step_state({1, 2}), Error);
    test::require_no_validation_messages();
}
