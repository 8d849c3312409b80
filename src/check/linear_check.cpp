// Linear on the GPU against its CPU reference: batch 1 and odd batches (one larger than a
// workgroup, so dW's batch loop is long), feature counts 1, 3, 5, 24, 64 and odd ones, with and
// without bias. Forward, dX, dW and dB in one recording.
#include "vkcolor/check/harness.hpp"
#include "vkcolor/check/op_checks.hpp"
#include "vkcolor/layers/linear.hpp"

namespace vkcolor::check {

OpCheck linear_check() {
    struct Case {
        uint32_t n, in, out;
        bool bias;
    };
    return {"linear", [](gpu::Context& ctx) {
                std::vector<CaseResult> results;
                uint32_t seed = 1300;
                for (Case k : {Case{1, 1, 1, true}, Case{1, 3, 5, true}, Case{2, 5, 3, false}, Case{5, 24, 64, true},
                               Case{3, 64, 24, true}, Case{7, 64, 5, false}, Case{67, 105, 3, true},
                               Case{4, 1, 24, true}}) {
                    layers::LinearParams p{k.in, k.out, k.bias};
                    Shape xs{k.n, k.in, 1, 1}, ys = p.output_shape(xs);
                    HostTensor x = random_tensor(xs, ++seed), w = random_tensor(p.weight_shape(), ++seed),
                               b = random_tensor(p.bias_shape(), ++seed), dy = random_tensor(ys, ++seed);
                    const HostTensor* bp = k.bias ? &b : nullptr;
                    HostTensor y_ref = layers::cpu::linear_forward(x, w, bp, p);
                    HostTensor dx_ref = layers::cpu::linear_backward_input(dy, w, p);
                    HostTensor dw_ref = layers::cpu::linear_backward_weight(x, dy, p);
                    HostTensor db_ref = layers::cpu::linear_backward_bias(dy);

                    Tensor gx = to_gpu(ctx, x), gw = to_gpu(ctx, w), gb = to_gpu(ctx, b), gdy = to_gpu(ctx, dy);
                    Tensor gy(ctx, ys), gdx(ctx, xs), gdw(ctx, p.weight_shape()), gdb(ctx, p.bias_shape());
                    gpu::Recording rec(ctx);
                    layers::linear_forward(rec, gx, gw, k.bias ? &gb : nullptr, gy, p);
                    layers::linear_backward_input(rec, gdy, gw, gdx, p);
                    layers::linear_backward_weight(rec, gx, gdy, gdw, p);
                    if (k.bias) layers::linear_backward_bias(rec, gdy, gdb);
                    rec.finish();
                    ctx.run(rec);
                    std::vector<Comparison> outputs = {compare(ctx, "y", gy, y_ref, k_forward_tolerance),
                                                       compare(ctx, "dX", gdx, dx_ref, k_backward_tolerance),
                                                       compare(ctx, "dW", gdw, dw_ref, k_backward_tolerance)};
                    if (k.bias) outputs.push_back(compare(ctx, "dB", gdb, db_ref, k_backward_tolerance));
                    results.push_back({"linear",
                                       "x " + xs.str() + ", out " + std::to_string(k.out) + (k.bias ? "" : ", no bias"),
                                       outputs});
                }
                return results;
            }};
}

} // namespace vkcolor::check
