// ConvTranspose2d on the GPU against its CPU reference: every pass, over kernels 2 and 3 with
// stride 2 (paddings 0-1, output_padding 0-1), a stride-1 and a kernel-1 case, with and without
// bias, odd sizes and channel counts 1, 3, 5, 24, 64.
#include "vkcolor/check/harness.hpp"
#include "vkcolor/check/op_checks.hpp"
#include "vkcolor/layers/conv_transpose2d.hpp"

namespace vkcolor::check {

namespace {
struct Case {
    Shape input;
    layers::ConvTranspose2dParams p;
};

std::string describe(const Case& c) {
    const auto& p = c.p;
    return "x " + c.input.str() + " " + std::to_string(p.in_channels) + "->" + std::to_string(p.out_channels) + " k" +
           std::to_string(p.kernel) + " s" + std::to_string(p.stride) + " p" + std::to_string(p.padding) + " op" +
           std::to_string(p.output_padding) + (p.bias ? "" : " no bias");
}

std::vector<Case> cases() {
    //        input            Cin Cout k  s  p  op bias
    return {
        {{1, 1, 1, 1}, {1, 1, 2, 2, 0, 0, true}},
        {{1, 1, 5, 7}, {1, 3, 2, 2, 0, 0, true}},
        {{2, 3, 13, 11}, {3, 5, 3, 2, 1, 1, false}},   // the "same x2" upsampling layer
        {{1, 5, 13, 11}, {5, 24, 3, 2, 1, 0, true}},
        {{3, 24, 9, 7}, {24, 64, 2, 2, 0, 0, true}},
        {{2, 64, 8, 8}, {64, 24, 3, 2, 1, 1, true}},
        {{1, 64, 5, 7}, {64, 1, 3, 2, 0, 1, false}},
        {{2, 24, 5, 7}, {24, 5, 2, 2, 1, 1, true}},
        {{2, 5, 13, 11}, {5, 3, 3, 2, 0, 0, true}},
        {{1, 3, 16, 16}, {3, 64, 2, 2, 0, 1, true}},
        {{2, 3, 5, 7}, {3, 5, 3, 1, 1, 0, true}},    // stride 1: a "same" convolution transposed
        {{2, 5, 7, 5}, {5, 3, 1, 2, 0, 1, true}},    // kernel 1: zeros between the samples
    };
}
} // namespace

OpCheck conv_transpose2d_check() {
    return {"conv_transpose2d", [](gpu::Context& ctx) {
                std::vector<CaseResult> results;
                uint32_t seed = 800;
                for (const Case& c : cases()) {
                    const auto& p = c.p;
                    Shape out = p.output_shape(c.input);
                    HostTensor x = random_tensor(c.input, ++seed), w = random_tensor(p.weight_shape(), ++seed);
                    HostTensor b = random_tensor(p.bias_shape(), ++seed), dy = random_tensor(out, ++seed);
                    const HostTensor* bias = p.bias ? &b : nullptr;
                    HostTensor y_ref = layers::cpu::conv_transpose2d_forward(x, w, bias, p);
                    HostTensor dx_ref = layers::cpu::conv_transpose2d_backward_input(dy, w, c.input, p);
                    HostTensor dw_ref = layers::cpu::conv_transpose2d_backward_weight(x, dy, p);
                    HostTensor db_ref = layers::cpu::conv_transpose2d_backward_bias(dy);

                    Tensor gx = to_gpu(ctx, x), gw = to_gpu(ctx, w), gb = to_gpu(ctx, b), gdy = to_gpu(ctx, dy);
                    Tensor gy(ctx, out), gdx(ctx, c.input), gdw(ctx, p.weight_shape()), gdb(ctx, p.bias_shape());
                    gpu::Recording rec(ctx);
                    layers::conv_transpose2d_forward(rec, gx, gw, p.bias ? &gb : nullptr, gy, p);
                    layers::conv_transpose2d_backward_input(rec, gdy, gw, gdx, p);
                    layers::conv_transpose2d_backward_weight(rec, gx, gdy, gdw, p);
                    layers::conv_transpose2d_backward_bias(rec, gdy, gdb);
                    rec.finish();
                    ctx.run(rec);
                    results.push_back({"conv_transpose2d", describe(c),
                                       {compare(ctx, "y", gy, y_ref, k_forward_tolerance),
                                        compare(ctx, "dX", gdx, dx_ref, k_backward_tolerance),
                                        compare(ctx, "dW", gdw, dw_ref, k_backward_tolerance),
                                        compare(ctx, "dBias", gdb, db_ref, k_backward_tolerance)}});
                }
                return results;
            }};
}

} // namespace vkcolor::check
