// Bilinear x2 upsampling on the GPU against its CPU reference (a scatter): the standard shapes plus
// single rows and columns, where both taps of an axis clamp to the same input.
#include "vkcolor/check/op_checks.hpp"

#include "vkcolor/layers/upsample_bilinear2d.hpp"

namespace vkcolor::check {

OpCheck upsample_bilinear2d_check() {
    return {"upsample_bilinear2d", [](gpu::Context& ctx) {
                std::vector<CaseResult> results;
                uint32_t seed = 600;
                std::vector<Shape> shapes = {{1, 1, 1, 6}, {2, 3, 5, 1}, {1, 1, 2, 2}};
                for (Shape s : standard_shapes()) shapes.push_back(s);
                for (Shape s : shapes) {
                    Shape ys = layers::upsample_bilinear2d_output_shape(s);
                    HostTensor x = random_tensor(s, ++seed), dy = random_tensor(ys, ++seed);
                    HostTensor y_ref = layers::cpu::upsample_bilinear2d_forward(x);
                    HostTensor dx_ref = layers::cpu::upsample_bilinear2d_backward(dy);

                    Tensor gx = to_gpu(ctx, x), gdy = to_gpu(ctx, dy), gy(ctx, ys), gdx(ctx, s);
                    gpu::Recording rec(ctx);
                    layers::upsample_bilinear2d_forward(rec, gx, gy);
                    layers::upsample_bilinear2d_backward(rec, gdy, gdx);
                    rec.finish();
                    ctx.run(rec);
                    results.push_back({"upsample_bilinear2d", "x " + s.str(),
                                       {compare(ctx, "y", gy, y_ref, k_forward_tolerance),
                                        compare(ctx, "dX", gdx, dx_ref, k_backward_tolerance)}});
                }
                return results;
            }};
}

} // namespace vkcolor::check
