// Conv2d on the GPU against its CPU reference: every pass, over kernels 1, 3, 5, strides 1 and 2,
// paddings 0-2, dilations 1 and 2, with and without bias, odd sizes and channel counts.
#include "vkcolor/check/harness.hpp"
#include "vkcolor/check/op_checks.hpp"
#include "vkcolor/layers/conv2d.hpp"

namespace vkcolor::check {

namespace {
struct ConvCase {
    Shape input;
    layers::Conv2dParams p;
};

std::string describe(const ConvCase& c) {
    const auto& p = c.p;
    return "x " + c.input.str() + " " + std::to_string(p.in_channels) + "->" + std::to_string(p.out_channels) + " k" +
           std::to_string(p.kernel) + " s" + std::to_string(p.stride) + " p" + std::to_string(p.padding) + " d" +
           std::to_string(p.dilation) + (p.bias ? "" : " no bias");
}

std::vector<ConvCase> conv_cases() {
    //        input           Cin Cout k  s  p  d  bias
    return {
        {{1, 1, 1, 1}, {1, 1, 1, 1, 0, 1, true}},
        {{1, 1, 5, 7}, {1, 3, 3, 1, 1, 1, true}},
        {{2, 3, 13, 11}, {3, 5, 3, 2, 1, 1, false}},
        {{1, 5, 13, 11}, {5, 24, 5, 1, 2, 2, true}},
        {{3, 24, 9, 7}, {24, 64, 1, 1, 0, 1, true}},
        {{2, 64, 8, 8}, {64, 24, 3, 1, 1, 1, true}},
        {{1, 3, 13, 11}, {3, 1, 5, 2, 0, 1, false}},
        {{2, 24, 5, 7}, {24, 5, 3, 1, 2, 1, true}},
        {{2, 5, 13, 11}, {5, 3, 3, 2, 0, 2, true}},
        {{2, 3, 5, 7}, {3, 64, 1, 2, 0, 1, false}},
        {{1, 1, 32, 32}, {1, 32, 3, 1, 1, 1, true}},   // the UNet's first layer
        {{3, 64, 7, 5}, {64, 64, 3, 1, 1, 1, true}},
        {{2, 25, 16, 16}, {25, 24, 3, 1, 1, 1, true}},
        // Rows wide enough that the weight gradients sum several chunks of rows, the last one
        // short (texel: 4096 / 301 = 13 rows a chunk, 2 x 19 = 38 rows; stride 2: 151 wide).
        {{2, 5, 19, 301}, {5, 6, 3, 1, 1, 1, true}},
        {{1, 3, 40, 302}, {3, 5, 3, 2, 1, 1, true}},
    };
}
} // namespace

// Every case once per kernel variant (layers::conv2d_variants), each forced in turn, against
// one CPU reference per case.
OpCheck conv2d_check() {
    return {"conv2d", [](gpu::Context& ctx) {
                std::vector<CaseResult> results;
                uint32_t seed = 300;
                for (const ConvCase& c : conv_cases()) {
                    const auto& p = c.p;
                    Shape out = p.output_shape(c.input);
                    HostTensor x = random_tensor(c.input, ++seed), w = random_tensor(p.weight_shape(), ++seed);
                    HostTensor b = random_tensor(p.bias_shape(), ++seed), dy = random_tensor(out, ++seed);
                    const HostTensor* bias = p.bias ? &b : nullptr;
                    HostTensor y_ref = layers::cpu::conv2d_forward(x, w, bias, p);
                    HostTensor dx_ref = layers::cpu::conv2d_backward_input(dy, w, c.input, p);
                    HostTensor dw_ref = layers::cpu::conv2d_backward_weight(x, dy, p);
                    HostTensor db_ref = layers::cpu::conv2d_backward_bias(dy);
                    Tensor gx = to_gpu(ctx, x), gw = to_gpu(ctx, w), gb = to_gpu(ctx, b), gdy = to_gpu(ctx, dy);
                    const Tensor* gbias = p.bias ? &gb : nullptr;

                    for (const std::string& variant : layers::conv2d_variants()) {
                        gpu::ForcedVariant forced(ctx, "conv2d", variant);
                        Tensor gy(ctx, out), gy_naive(ctx, out), gdx(ctx, c.input), gdw(ctx, p.weight_shape()),
                            gdb(ctx, p.bias_shape());
                        gpu::Recording rec(ctx);
                        layers::conv2d_forward(rec, gx, gw, gbias, gy, p);
                        layers::conv2d_forward_naive(rec, gx, gw, gbias, gy_naive, p);
                        layers::conv2d_backward_input(rec, gdy, gw, gdx, p);
                        layers::conv2d_backward_weight(rec, gx, gdy, gdw, p);
                        layers::conv2d_backward_bias(rec, gdy, gdb);
                        rec.finish();
                        ctx.run(rec);
                        std::string kernels = layers::conv2d_kernel_for(ctx, "forward", c.input, p) + "/" +
                                              layers::conv2d_kernel_for(ctx, "backward_input", c.input, p) + "/" +
                                              layers::conv2d_kernel_for(ctx, "backward_weight", c.input, p);
                        results.push_back({"conv2d", describe(c) + " [" + variant + ": " + kernels + "]",
                                           {compare(ctx, "y", gy, y_ref, k_forward_tolerance),
                                            compare(ctx, "y (naive)", gy_naive, y_ref, k_forward_tolerance),
                                            compare(ctx, "dX", gdx, dx_ref, k_backward_tolerance),
                                            compare(ctx, "dW", gdw, dw_ref, k_backward_tolerance),
                                            compare(ctx, "dBias", gdb, db_ref, k_backward_tolerance)}});
                    }
                }
                return results;
            }};
}

} // namespace vkcolor::check
