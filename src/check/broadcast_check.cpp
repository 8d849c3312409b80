// Add and multiply with broadcasting on the GPU against the CPU reference: every standard shape
// for a, with b of a's shape, N x 1 x H x W and 1 x C x 1 x 1; forward and both gradients in one
// recording.
#include "vkcolor/check/harness.hpp"
#include "vkcolor/check/op_checks.hpp"
#include "vkcolor/layers/elementwise.hpp"

namespace vkcolor::check {

namespace {
OpCheck broadcast_check(const std::string& op, bool mul, uint32_t seed) {
    return {op, [op, mul, seed](gpu::Context& ctx) mutable {
                std::vector<CaseResult> results;
                for (Shape s : standard_shapes()) {
                    for (Shape bs : {s, Shape{s.n, 1, s.h, s.w}, Shape{1, s.c, 1, 1}}) {
                        HostTensor a = random_tensor(s, ++seed), b = random_tensor(bs, ++seed),
                                   dy = random_tensor(s, ++seed);
                        HostTensor y_ref = mul ? layers::cpu::mul_broadcast(a, b) : layers::cpu::add_broadcast(a, b);
                        auto grads = mul ? layers::cpu::mul_broadcast_backward(a, b, dy)
                                         : layers::cpu::add_broadcast_backward(dy, bs);

                        Tensor ga = to_gpu(ctx, a), gb = to_gpu(ctx, b), gdy = to_gpu(ctx, dy);
                        Tensor gy(ctx, s), gda(ctx, s), gdb(ctx, bs);
                        gpu::Recording rec(ctx);
                        if (mul) {
                            layers::mul_broadcast(rec, ga, gb, gy);
                            layers::mul_broadcast_backward(rec, ga, gb, gdy, gda, gdb);
                        } else {
                            layers::add_broadcast(rec, ga, gb, gy);
                            layers::add_broadcast_backward(rec, gdy, gda, gdb);
                        }
                        rec.finish();
                        ctx.run(rec);
                        results.push_back({op, "a " + s.str() + ", b " + bs.str(),
                                           {compare(ctx, "y", gy, y_ref, k_forward_tolerance),
                                            compare(ctx, "dA", gda, grads.da, k_backward_tolerance),
                                            compare(ctx, "dB", gdb, grads.db, k_backward_tolerance)}});
                    }
                }
                return results;
            }};
}
} // namespace

OpCheck add_broadcast_check() { return broadcast_check("add_broadcast", false, 1500); }
OpCheck mul_broadcast_check() { return broadcast_check("mul_broadcast", true, 1600); }

} // namespace vkcolor::check
