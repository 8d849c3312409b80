// Channel concatenation on the GPU against its CPU reference, for unequal and equal channel
// counts over odd spatial sizes.
#include "vkcolor/check/op_checks.hpp"

#include "vkcolor/layers/concat.hpp"

namespace vkcolor::check {

OpCheck concat_check() {
    return {"concat", [](gpu::Context& ctx) {
                struct Case {
                    Shape a;
                    uint32_t cb;
                };
                // N, Ca, H, W and Cb: batch 1, odd H/W, Ca != Cb both ways, and the UNet's equal halves.
                const Case cases[] = {{{1, 1, 1, 1}, 1},  {{1, 3, 5, 7}, 5},   {{2, 64, 13, 11}, 1}, {{1, 1, 9, 7}, 64},
                                      {{3, 24, 8, 8}, 24}, {{4, 5, 7, 5}, 3}, {{2, 3, 32, 32}, 64}};
                std::vector<CaseResult> results;
                uint32_t seed = 500;
                for (const auto& k : cases) {
                    Shape bs{k.a.n, k.cb, k.a.h, k.a.w}, ys = layers::concat_output_shape(k.a, bs);
                    HostTensor a = random_tensor(k.a, ++seed), b = random_tensor(bs, ++seed), dy = random_tensor(ys, ++seed);
                    HostTensor y_ref = layers::cpu::concat_forward(a, b), da_ref, db_ref;
                    layers::cpu::concat_backward(dy, k.a.c, da_ref, db_ref);

                    Tensor ga = to_gpu(ctx, a), gb = to_gpu(ctx, b), gdy = to_gpu(ctx, dy);
                    Tensor gy(ctx, ys), gda(ctx, k.a), gdb(ctx, bs);
                    gpu::Recording rec(ctx);
                    layers::concat_forward(rec, ga, gb, gy);
                    layers::concat_backward(rec, gdy, gda, gdb);
                    rec.finish();
                    ctx.run(rec);
                    results.push_back({"concat", "a " + k.a.str() + " + b " + bs.str(),
                                       {compare(ctx, "y", gy, y_ref, k_forward_tolerance),
                                        compare(ctx, "dA", gda, da_ref, k_backward_tolerance),
                                        compare(ctx, "dB", gdb, db_ref, k_backward_tolerance)}});
                }
                return results;
            }};
}

} // namespace vkcolor::check
