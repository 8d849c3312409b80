// The L1 loss on the GPU against its CPU reference over the standard shapes and one large enough
// for the full number of partial sums. Some targets equal their predictions (sign(0) = 0).
#include "vkcolor/check/harness.hpp"
#include "vkcolor/check/op_checks.hpp"
#include "vkcolor/layers/l1_loss.hpp"

namespace vkcolor::check {

OpCheck l1_loss_check() {
    return {"l1_loss", [](gpu::Context& ctx) {
                std::vector<CaseResult> results;
                uint32_t seed = 1500;
                auto shapes = standard_shapes();
                shapes.push_back({16, 3, 64, 64});   // 64 chunks of 3072 elements
                for (Shape s : shapes) {
                    HostTensor pred = random_tensor(s, ++seed), target = random_tensor(s, ++seed);
                    for (size_t i = 0; i < pred.data.size(); i += 5) target.data[i] = pred.data[i];
                    Tensor gp = to_gpu(ctx, pred), gt = to_gpu(ctx, target), loss(ctx, {1, 1, 1, 1}), dpred(ctx, s);
                    gpu::Recording rec(ctx);
                    layers::l1_loss_forward(rec, gp, gt, loss);
                    layers::l1_loss_backward(rec, gp, gt, dpred);
                    rec.finish();
                    ctx.run(rec);
                    results.push_back({"l1_loss", "x " + s.str(),
                                       {compare(ctx, "loss", loss, layers::cpu::l1_loss_forward(pred, target), k_forward_tolerance),
                                        compare(ctx, "dPred", dpred, layers::cpu::l1_loss_backward(pred, target),
                                                k_backward_tolerance)}});
                }
                return results;
            }};
}

} // namespace vkcolor::check
