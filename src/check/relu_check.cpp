// ReLU on the GPU against its CPU reference over the standard shapes.
#include "vkcolor/check/harness.hpp"
#include "vkcolor/check/op_checks.hpp"
#include "vkcolor/layers/relu.hpp"

namespace vkcolor::check {

OpCheck relu_check() {
    return {"relu", [](gpu::Context& ctx) {
                std::vector<CaseResult> results;
                uint32_t seed = 100;
                for (Shape s : standard_shapes()) {
                    HostTensor x = random_tensor(s, ++seed), dy = random_tensor(s, ++seed);
                    HostTensor y_ref = layers::cpu::relu_forward(x);
                    HostTensor dx_ref = layers::cpu::relu_backward(y_ref, dy);

                    Tensor gx = to_gpu(ctx, x), gdy = to_gpu(ctx, dy), gy(ctx, s), gdx(ctx, s);
                    gpu::Recording rec(ctx);
                    layers::relu_forward(rec, gx, gy);
                    layers::relu_backward(rec, gy, gdy, gdx);
                    rec.finish();
                    ctx.run(rec);
                    results.push_back({"relu", "x " + s.str(),
                                       {compare(ctx, "y", gy, y_ref, k_forward_tolerance),
                                        compare(ctx, "dX", gdx, dx_ref, k_backward_tolerance)}});
                }
                return results;
            }};
}

} // namespace vkcolor::check
