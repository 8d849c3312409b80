// BatchNorm2d on the GPU against its CPU reference over the standard shapes: training forward
// (y, running stats, saved stats), training backward (dX, dGamma, dBeta), then eval forward and
// backward with the updated running stats. Shapes with one value per channel (1x1x1x1) cannot
// train (PyTorch refuses; so do we) and are checked in eval mode only.
#include "vkcolor/check/harness.hpp"
#include "vkcolor/check/op_checks.hpp"
#include "vkcolor/layers/batchnorm2d.hpp"

namespace vkcolor::check {

namespace {

struct Case {
    Shape shape;
    float offset = 0.0f;   // added to x: a large channel mean tests the centred variance
};

std::vector<Case> batchnorm2d_cases() {
    std::vector<Case> cases;
    for (Shape s : standard_shapes()) cases.push_back({s});
    cases.push_back({{100, 4, 32, 32}});         // many chunks per channel (the training batch size)
    cases.push_back({{8, 5, 13, 11}, 30.0f});    // mean far from 0, variance ~1/3
    return cases;
}

} // namespace

OpCheck batchnorm2d_check() {
    return {"batchnorm2d", [](gpu::Context& ctx) {
                namespace cpu = layers::cpu;
                std::vector<CaseResult> results;
                uint32_t seed = 300;
                for (const Case& k : batchnorm2d_cases()) {
                    Shape s = k.shape, v{1, s.c, 1, 1};
                    HostTensor x = random_tensor(s, ++seed, k.offset - 1.0f, k.offset + 1.0f);
                    HostTensor dy = random_tensor(s, ++seed), gamma = random_tensor(v, ++seed, 0.5f, 1.5f);
                    HostTensor beta = random_tensor(v, ++seed), rmean = random_tensor(v, ++seed);
                    HostTensor rvar = random_tensor(v, ++seed, 0.5f, 2.0f);
                    bool train = size_t(s.n) * s.h * s.w > 1;

                    Tensor gx = to_gpu(ctx, x), gdy = to_gpu(ctx, dy), ggamma = to_gpu(ctx, gamma);
                    Tensor gbeta = to_gpu(ctx, beta), grmean = to_gpu(ctx, rmean), grvar = to_gpu(ctx, rvar);
                    Tensor gy(ctx, s), gdx(ctx, s), gdgamma(ctx, v), gdbeta(ctx, v), gmean(ctx, v), ginvstd(ctx, v);
                    Tensor gy_eval(ctx, s), gdx_eval(ctx, s), gdgamma_eval(ctx, v), gdbeta_eval(ctx, v);
                    gpu::Recording rec(ctx);
                    if (train) {
                        layers::batchnorm2d_forward_train(rec, gx, ggamma, gbeta, grmean, grvar, gmean, ginvstd, gy);
                        layers::batchnorm2d_backward_train(rec, gx, gdy, ggamma, gmean, ginvstd, gdx, gdgamma, gdbeta);
                    }
                    layers::batchnorm2d_forward_eval(rec, gx, ggamma, gbeta, grmean, grvar, gy_eval);
                    layers::batchnorm2d_backward_eval(rec, gx, gdy, ggamma, grmean, grvar, gdx_eval, gdgamma_eval,
                                                      gdbeta_eval);
                    rec.finish();
                    ctx.run(rec);

                    std::vector<Comparison> outputs;
                    if (train) {
                        HostTensor mean, invstd;
                        HostTensor y = cpu::batchnorm2d_forward_train(x, gamma, beta, rmean, rvar, mean, invstd);
                        auto g = cpu::batchnorm2d_backward_train(x, dy, gamma, mean, invstd);
                        outputs.push_back(compare(ctx, "y", gy, y, k_forward_tolerance));
                        outputs.push_back(compare(ctx, "running_mean", grmean, rmean, k_forward_tolerance));
                        outputs.push_back(compare(ctx, "running_var", grvar, rvar, k_forward_tolerance));
                        outputs.push_back(compare(ctx, "saved_mean", gmean, mean, k_forward_tolerance));
                        outputs.push_back(compare(ctx, "saved_invstd", ginvstd, invstd, k_forward_tolerance));
                        outputs.push_back(compare(ctx, "dX", gdx, g.dx, k_backward_tolerance));
                        outputs.push_back(compare(ctx, "dGamma", gdgamma, g.dgamma, k_backward_tolerance));
                        outputs.push_back(compare(ctx, "dBeta", gdbeta, g.dbeta, k_backward_tolerance));
                    }
                    // rmean and rvar now hold the updated running stats, as the GPU's do.
                    HostTensor y_eval = cpu::batchnorm2d_forward_eval(x, gamma, beta, rmean, rvar);
                    auto g_eval = cpu::batchnorm2d_backward_eval(x, dy, gamma, rmean, rvar);
                    outputs.push_back(compare(ctx, "y (eval)", gy_eval, y_eval, k_forward_tolerance));
                    outputs.push_back(compare(ctx, "dX (eval)", gdx_eval, g_eval.dx, k_backward_tolerance));
                    outputs.push_back(compare(ctx, "dGamma (eval)", gdgamma_eval, g_eval.dgamma, k_backward_tolerance));
                    outputs.push_back(compare(ctx, "dBeta (eval)", gdbeta_eval, g_eval.dbeta, k_backward_tolerance));

                    std::string desc = "x " + s.str() + (k.offset != 0.0f ? " + " + std::to_string(int(k.offset)) : "");
                    if (!train) desc += " (eval only: one value per channel)";
                    results.push_back({"batchnorm2d", desc, outputs});
                }
                return results;
            }};
}

} // namespace vkcolor::check
