// Dropout on the GPU against its CPU reference over the standard shapes and several p, in
// training and eval. The masks come from the same integer hash on both sides and each output is
// one fp32 multiply, so the outputs must agree exactly (tolerance 0).
#include "vkcolor/check/harness.hpp"
#include "vkcolor/check/op_checks.hpp"
#include "vkcolor/layers/dropout.hpp"

namespace vkcolor::check {

OpCheck dropout_check() {
    return {"dropout", [](gpu::Context& ctx) {
                std::vector<layers::DropoutParams> params;
                std::vector<Shape> shapes;
                for (Shape s : standard_shapes()) {
                    shapes.push_back(s);
                    params.push_back({0.5f, 7, true});
                }
                for (float p : {0.0f, 0.1f, 0.9f, 1.0f}) {
                    shapes.push_back({2, 5, 13, 11});
                    params.push_back({p, 8, true});
                }
                shapes.push_back({2, 5, 13, 11});
                params.push_back({0.5f, 9, false});   // eval: identity
                std::vector<CaseResult> results;
                uint32_t seed = 1400, step = 41;
                gpu::Buffer step_buffer = ctx.create_buffer(layers::k_dropout_step_bytes);
                for (size_t k = 0; k < shapes.size(); ++k) {
                    Shape s = shapes[k];
                    const auto& prm = params[k];
                    step += 1000;   // large steps, so the hash sees high bits set
                    ctx.upload(step_buffer, &step, sizeof step);
                    HostTensor x = random_tensor(s, ++seed), dy = random_tensor(s, ++seed);
                    Tensor gx = to_gpu(ctx, x), gdy = to_gpu(ctx, dy), gy(ctx, s), gdx(ctx, s);
                    gpu::Recording rec(ctx);
                    layers::dropout_forward(rec, step_buffer, gx, gy, prm);
                    layers::dropout_backward(rec, step_buffer, gdy, gdx, prm);
                    rec.finish();
                    ctx.run(rec);
                    results.push_back({"dropout",
                                       "x " + s.str() + ", p " + std::to_string(prm.p) + (prm.training ? "" : ", eval"),
                                       {compare(ctx, "y", gy, layers::cpu::dropout_forward(x, prm, step), 0.0),
                                        compare(ctx, "dX", gdx, layers::cpu::dropout_backward(dy, prm, step), 0.0)}});
                }
                return results;
            }};
}

} // namespace vkcolor::check
