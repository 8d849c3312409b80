// The MSE loss on the GPU against its CPU reference over the standard shapes and one large
// enough for the full number of partial sums.
#include "vkcolor/check/harness.hpp"
#include "vkcolor/check/op_checks.hpp"
#include "vkcolor/layers/mse_loss.hpp"

namespace vkcolor::check {

OpCheck mse_loss_check() {
    return {"mse_loss", [](gpu::Context& ctx) {
                std::vector<CaseResult> results;
                uint32_t seed = 300;
                auto shapes = standard_shapes();
                shapes.push_back({16, 3, 64, 64});   // 64 chunks of 3072 elements
                for (Shape s : shapes) {
                    HostTensor pred = random_tensor(s, ++seed), target = random_tensor(s, ++seed);
                    Tensor gp = to_gpu(ctx, pred), gt = to_gpu(ctx, target), loss(ctx, {1, 1, 1, 1}), dpred(ctx, s);
                    gpu::Recording rec(ctx);
                    layers::mse_loss_forward(rec, gp, gt, loss);
                    layers::mse_loss_backward(rec, gp, gt, dpred);
                    rec.finish();
                    ctx.run(rec);
                    results.push_back({"mse_loss", "x " + s.str(),
                                       {compare(ctx, "loss", loss, layers::cpu::mse_loss_forward(pred, target), k_forward_tolerance),
                                        compare(ctx, "dPred", dpred, layers::cpu::mse_loss_backward(pred, target),
                                                k_backward_tolerance)}});
                }
                return results;
            }};
}

} // namespace vkcolor::check
