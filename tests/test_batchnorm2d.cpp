// BatchNorm2d (shaders batchnorm2d_stats_partial, batchnorm2d_stats_finalize,
// batchnorm2d_forward_train, batchnorm2d_forward_eval, batchnorm2d_backward_partial,
// batchnorm2d_backward_finalize, batchnorm2d_backward, batchnorm2d_backward_eval):
// GPU vs CPU, finite differences, PyTorch golden, determinism, the one-value-per-channel error.
#include <catch2/catch.hpp>

#include "gpu_fixture.hpp"
#include "op_test.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/layers/batchnorm2d.hpp"

using namespace vkcolor;
namespace cpu = vkcolor::layers::cpu;

namespace {

struct Params {
    HostTensor gamma, beta, running_mean, running_var;
};

Params random_params(uint32_t C, uint32_t seed) {
    Shape v{1, C, 1, 1};
    return {check::random_tensor(v, seed, 0.5f, 1.5f), check::random_tensor(v, seed + 1),
            check::random_tensor(v, seed + 2), check::random_tensor(v, seed + 3, 0.5f, 2.0f)};
}

// The training-mode output for given x, gamma, beta (the running stats are copies: the loss
// must not depend on how often it was evaluated).
HostTensor train_y(const HostTensor& x, const HostTensor& gamma, const HostTensor& beta, const Params& p) {
    HostTensor rm = p.running_mean, rv = p.running_var, mean, invstd;
    return cpu::batchnorm2d_forward_train(x, gamma, beta, rm, rv, mean, invstd);
}

} // namespace

TEST_CASE("batchnorm2d: GPU matches the CPU reference", "[gpu][batchnorm2d]") {
    test::require_op_check_passes("batchnorm2d");
}

TEST_CASE("batchnorm2d: training with one value per channel is an error, as in PyTorch", "[gpu][batchnorm2d]") {
    auto& ctx = test::gpu();
    for (Shape s : {Shape{1, 3, 1, 1}, Shape{1, 1, 1, 1}}) {
        INFO("x " << s.str());
        HostTensor x = check::random_tensor(s, 1), mean, invstd;
        Params p = random_params(s.c, 2);
        CHECK_THROWS_WITH(
            cpu::batchnorm2d_forward_train(x, p.gamma, p.beta, p.running_mean, p.running_var, mean, invstd),
            Catch::Contains("expected more than 1 value per channel when training"));

        Shape v{1, s.c, 1, 1};
        Tensor gx = check::to_gpu(ctx, x), gy(ctx, s), a(ctx, v), b(ctx, v), c(ctx, v), d(ctx, v), e(ctx, v), f(ctx, v);
        gpu::Recording rec(ctx);
        CHECK_THROWS_AS(layers::batchnorm2d_forward_train(rec, gx, a, b, c, d, e, f, gy), Error);
        CHECK(rec.dispatch_count() == 0);
    }
    // Eval mode and a single image with several pixels are fine.
    Params p = random_params(3, 3);
    CHECK_NOTHROW(cpu::batchnorm2d_forward_eval(check::random_tensor({1, 3, 1, 1}, 4), p.gamma, p.beta,
                                                p.running_mean, p.running_var));
    HostTensor mean, invstd;
    CHECK_NOTHROW(cpu::batchnorm2d_forward_train(check::random_tensor({1, 3, 2, 1}, 5), p.gamma, p.beta,
                                                 p.running_mean, p.running_var, mean, invstd));
    test::require_no_validation_messages();
}

TEST_CASE("batchnorm2d: CPU training backward matches finite differences", "[batchnorm2d][fd]") {
    Shape s{2, 3, 5, 7};
    HostTensor x = check::random_tensor(s, 11, -2.0f, 3.0f), g = check::random_tensor(s, 12);
    Params p = random_params(s.c, 13);
    HostTensor rm = p.running_mean, rv = p.running_var, mean, invstd;
    cpu::batchnorm2d_forward_train(x, p.gamma, p.beta, rm, rv, mean, invstd);
    auto grads = cpu::batchnorm2d_backward_train(x, g, p.gamma, mean, invstd);

    // dX goes through the batch mean and variance: every x moves every y of its channel.
    auto fx = [&](const HostTensor& in) { return test::dot(train_y(in, p.gamma, p.beta, p), g); };
    CHECK(test::finite_difference_error(fx, x, grads.dx, 1e-2f, 210) < 1e-3);
    auto fgamma = [&](const HostTensor& in) { return test::dot(train_y(x, in, p.beta, p), g); };
    CHECK(test::finite_difference_error(fgamma, p.gamma, grads.dgamma, 1e-2f, 3) < 1e-3);
    auto fbeta = [&](const HostTensor& in) { return test::dot(train_y(x, p.gamma, in, p), g); };
    CHECK(test::finite_difference_error(fbeta, p.beta, grads.dbeta, 1e-2f, 3) < 1e-3);
}

TEST_CASE("batchnorm2d: CPU eval backward matches finite differences", "[batchnorm2d][fd]") {
    Shape s{2, 3, 5, 7};
    HostTensor x = check::random_tensor(s, 21, -2.0f, 3.0f), g = check::random_tensor(s, 22);
    Params p = random_params(s.c, 23);
    auto grads = cpu::batchnorm2d_backward_eval(x, g, p.gamma, p.running_mean, p.running_var);
    auto y = [&](const HostTensor& in, const HostTensor& gamma, const HostTensor& beta) {
        return cpu::batchnorm2d_forward_eval(in, gamma, beta, p.running_mean, p.running_var);
    };
    auto fx = [&](const HostTensor& in) { return test::dot(y(in, p.gamma, p.beta), g); };
    CHECK(test::finite_difference_error(fx, x, grads.dx, 1e-2f, 210) < 1e-3);
    auto fgamma = [&](const HostTensor& in) { return test::dot(y(x, in, p.beta), g); };
    CHECK(test::finite_difference_error(fgamma, p.gamma, grads.dgamma, 1e-2f, 3) < 1e-3);
    auto fbeta = [&](const HostTensor& in) { return test::dot(y(x, p.gamma, in), g); };
    CHECK(test::finite_difference_error(fbeta, p.beta, grads.dbeta, 1e-2f, 3) < 1e-3);
}

TEST_CASE("batchnorm2d: CPU reference matches PyTorch", "[batchnorm2d][golden]") {
    auto g = test::load_golden("batchnorm2d");
    REQUIRE(g.params["eps"].get<float>() == layers::BatchNorm2dParams{}.eps);
    REQUIRE(g.params["momentum"].get<float>() == layers::BatchNorm2dParams{}.momentum);
    HostTensor rm = g["running_mean_before"], rv = g["running_var_before"], mean, invstd;
    HostTensor y = cpu::batchnorm2d_forward_train(g["x"], g["gamma"], g["beta"], rm, rv, mean, invstd);
    CHECK(check::relative_error(y.data, g["y_train"].data) < check::k_forward_tolerance);
    CHECK(check::relative_error(rm.data, g["running_mean_after"].data) < check::k_forward_tolerance);
    CHECK(check::relative_error(rv.data, g["running_var_after"].data) < check::k_forward_tolerance);
    CHECK(check::relative_error(mean.data, g["saved_mean"].data) < check::k_forward_tolerance);
    CHECK(check::relative_error(invstd.data, g["saved_invstd"].data) < check::k_forward_tolerance);

    auto d = cpu::batchnorm2d_backward_train(g["x"], g["dy"], g["gamma"], mean, invstd);
    CHECK(check::relative_error(d.dx.data, g["dx_train"].data) < check::k_backward_tolerance);
    CHECK(check::relative_error(d.dgamma.data, g["dgamma_train"].data) < check::k_backward_tolerance);
    CHECK(check::relative_error(d.dbeta.data, g["dbeta_train"].data) < check::k_backward_tolerance);

    HostTensor y_eval = cpu::batchnorm2d_forward_eval(g["x"], g["gamma"], g["beta"], rm, rv);
    CHECK(check::relative_error(y_eval.data, g["y_eval"].data) < check::k_forward_tolerance);
    auto e = cpu::batchnorm2d_backward_eval(g["x"], g["dy"], g["gamma"], rm, rv);
    CHECK(check::relative_error(e.dx.data, g["dx_eval"].data) < check::k_backward_tolerance);
    CHECK(check::relative_error(e.dgamma.data, g["dgamma_eval"].data) < check::k_backward_tolerance);
    CHECK(check::relative_error(e.dbeta.data, g["dbeta_eval"].data) < check::k_backward_tolerance);
}

TEST_CASE("batchnorm2d: GPU matches PyTorch", "[gpu][batchnorm2d][golden]") {
    auto& ctx = test::gpu();
    auto g = test::load_golden("batchnorm2d");
    Shape s = g["x"].shape, v{1, s.c, 1, 1};
    auto up = [&](const char* name) { return check::to_gpu(ctx, g[name]); };
    Tensor x = up("x"), dy = up("dy"), gamma = up("gamma"), beta = up("beta");
    Tensor rm = up("running_mean_before"), rv = up("running_var_before");
    Tensor y(ctx, s), dx(ctx, s), dgamma(ctx, v), dbeta(ctx, v), mean(ctx, v), invstd(ctx, v);
    Tensor y_eval(ctx, s), dx_eval(ctx, s), dgamma_eval(ctx, v), dbeta_eval(ctx, v);
    gpu::Recording rec(ctx);
    layers::batchnorm2d_forward_train(rec, x, gamma, beta, rm, rv, mean, invstd, y);
    layers::batchnorm2d_backward_train(rec, x, dy, gamma, mean, invstd, dx, dgamma, dbeta);
    layers::batchnorm2d_forward_eval(rec, x, gamma, beta, rm, rv, y_eval);
    layers::batchnorm2d_backward_eval(rec, x, dy, gamma, rm, rv, dx_eval, dgamma_eval, dbeta_eval);
    rec.finish();
    ctx.run(rec);

    auto err = [&](const Tensor& got, const char* want) {
        return check::relative_error(got.download(ctx), g[want].data);
    };
    CHECK(err(y, "y_train") < check::k_forward_tolerance);
    CHECK(err(rm, "running_mean_after") < check::k_forward_tolerance);
    CHECK(err(rv, "running_var_after") < check::k_forward_tolerance);
    CHECK(err(mean, "saved_mean") < check::k_forward_tolerance);
    CHECK(err(invstd, "saved_invstd") < check::k_forward_tolerance);
    CHECK(err(dx, "dx_train") < check::k_backward_tolerance);
    CHECK(err(dgamma, "dgamma_train") < check::k_backward_tolerance);
    CHECK(err(dbeta, "dbeta_train") < check::k_backward_tolerance);
    CHECK(err(y_eval, "y_eval") < check::k_forward_tolerance);
    CHECK(err(dx_eval, "dx_eval") < check::k_backward_tolerance);
    CHECK(err(dgamma_eval, "dgamma_eval") < check::k_backward_tolerance);
    CHECK(err(dbeta_eval, "dbeta_eval") < check::k_backward_tolerance);
    test::require_no_validation_messages();
}

TEST_CASE("batchnorm2d: the same input gives the same bits, run after run", "[gpu][batchnorm2d][determinism]") {
    auto& ctx = test::gpu();
    Shape s{16, 5, 13, 11}, v{1, s.c, 1, 1};   // several chunks per channel
    HostTensor hx = check::random_tensor(s, 31, -3.0f, 5.0f), hdy = check::random_tensor(s, 32);
    Params p = random_params(s.c, 33);
    Tensor x = check::to_gpu(ctx, hx), dy = check::to_gpu(ctx, hdy), gamma = check::to_gpu(ctx, p.gamma);
    Tensor beta = check::to_gpu(ctx, p.beta), rm(ctx, v), rv(ctx, v), mean(ctx, v), invstd(ctx, v);
    Tensor y(ctx, s), dx(ctx, s), dgamma(ctx, v), dbeta(ctx, v);

    gpu::Recording forward(ctx);
    layers::batchnorm2d_forward_train(forward, x, gamma, beta, rm, rv, mean, invstd, y);
    forward.finish();
    gpu::Recording backward(ctx);
    layers::batchnorm2d_backward_train(backward, x, dy, gamma, mean, invstd, dx, dgamma, dbeta);
    backward.finish();

    // Every output of a forward (from the same running stats) and of two backwards after it.
    auto run_once = [&] {
        rm.upload(ctx, p.running_mean);
        rv.upload(ctx, p.running_var);
        ctx.run(forward);
        std::vector<std::vector<float>> out;
        for (const Tensor* t : {&y, &rm, &rv, &mean, &invstd}) out.push_back(t->download(ctx));
        for (int i = 0; i < 2; ++i) {
            ctx.run(backward);
            for (const Tensor* t : {&dx, &dgamma, &dbeta}) out.push_back(t->download(ctx));
        }
        return out;
    };
    auto first = run_once();   // recordings replayed: the second call resubmits both
    auto second = run_once();
    REQUIRE(first.size() == 11);
    for (size_t i = 0; i < first.size(); ++i) {
        INFO("output " << i);
        CHECK(first[i] == second[i]);
    }
    for (size_t i = 5; i < 8; ++i) CHECK(first[i] == first[i + 3]);   // the backward run twice
    test::require_no_validation_messages();
}
