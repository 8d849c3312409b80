// The per-pixel softmax cross-entropy on the GPU against its CPU reference over the standard
// shapes (C = 1, 3, 5, 24, 64), with tied maxima and with targets that are often the argmax, so
// argmax and the correct count (both compared exactly) are exercised.
#include <cmath>

#include "vkcolor/check/harness.hpp"
#include "vkcolor/check/op_checks.hpp"
#include "vkcolor/layers/cross_entropy.hpp"

namespace vkcolor::check {

namespace {
// Random logits in [-4, 4) with every 5th pixel's maximum copied to another class (a tie, which
// must go to the lower index), and targets: every 3rd pixel the argmax, the rest random.
std::pair<HostTensor, HostTensor> logits_and_targets(Shape s, uint32_t seed) {
    HostTensor logits = random_tensor(s, seed, -4.0f, 4.0f);
    HostTensor u = random_tensor({s.n, 1, s.h, s.w}, seed + 1, 0.0f, 1.0f);
    HostTensor targets({s.n, 1, s.h, s.w});
    uint32_t pixel = 0;
    for (uint32_t n = 0; n < s.n; ++n)
        for (uint32_t h = 0; h < s.h; ++h)
            for (uint32_t w = 0; w < s.w; ++w, ++pixel) {
                uint32_t best = 0;
                for (uint32_t c = 1; c < s.c; ++c)
                    if (logits.at(n, c, h, w) > logits.at(n, best, h, w)) best = c;
                if (pixel % 5 == 0 && s.c > 1) {
                    uint32_t other = (best + 1 + pixel % (s.c - 1)) % s.c;
                    logits.at(n, other, h, w) = logits.at(n, best, h, w);
                    best = std::min(best, other);
                }
                float r = u.at(n, 0, h, w);
                targets.at(n, 0, h, w) = pixel % 3 == 0 ? float(best) : std::floor(r * float(s.c));
            }
    return {logits, targets};
}
} // namespace

OpCheck cross_entropy_check() {
    return {"cross_entropy", [](gpu::Context& ctx) {
                std::vector<CaseResult> results;
                uint32_t seed = 400;
                for (Shape s : standard_shapes()) {
                    auto [logits, targets] = logits_and_targets(s, seed += 2);
                    auto ref = layers::cpu::cross_entropy_forward(logits, targets);
                    HostTensor dref = layers::cpu::cross_entropy_backward(logits, targets);

                    Tensor gx = to_gpu(ctx, logits), gt = to_gpu(ctx, targets), loss(ctx, {1, 1, 1, 1}),
                           argmax(ctx, targets.shape), correct(ctx, {1, 1, 1, 1}), dx(ctx, s);
                    gpu::Recording rec(ctx);
                    layers::cross_entropy_forward(rec, gx, gt, loss, argmax, correct);
                    layers::cross_entropy_backward(rec, gx, gt, dx);
                    rec.finish();
                    ctx.run(rec);
                    results.push_back({"cross_entropy", "x " + s.str(),
                                       {compare(ctx, "loss", loss, ref.loss, k_forward_tolerance),
                                        compare(ctx, "dLogits", dx, dref, k_backward_tolerance),
                                        compare(ctx, "argmax", argmax, ref.argmax, 0.0),      // exact
                                        compare(ctx, "correct", correct, ref.correct, 0.0)}});  // exact
                }
                return results;
            }};
}

} // namespace vkcolor::check
