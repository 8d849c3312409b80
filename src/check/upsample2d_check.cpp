// Nearest x2 upsampling on the GPU against its CPU reference over the standard shapes.
#include "vkcolor/check/op_checks.hpp"

#include "vkcolor/layers/upsample2d.hpp"

namespace vkcolor::check {

OpCheck upsample_nearest2d_check() {
    return {"upsample_nearest2d", [](gpu::Context& ctx) {
                std::vector<CaseResult> results;
                uint32_t seed = 400;
                // The standard shapes, and a width of 12: the shaders' four-an-invocation path
                // (W % 4 == 0) on a width that is not a multiple of 8.
                std::vector<Shape> shapes = standard_shapes();
                shapes.push_back({2, 3, 5, 12});
                for (Shape s : shapes) {
                    Shape ys = layers::upsample_nearest2d_output_shape(s);
                    HostTensor x = random_tensor(s, ++seed), dy = random_tensor(ys, ++seed);
                    HostTensor y_ref = layers::cpu::upsample_nearest2d_forward(x);
                    HostTensor dx_ref = layers::cpu::upsample_nearest2d_backward(dy);

                    Tensor gx = to_gpu(ctx, x), gdy = to_gpu(ctx, dy), gy(ctx, ys), gdx(ctx, s);
                    gpu::Recording rec(ctx);
                    layers::upsample_nearest2d_forward(rec, gx, gy);
                    layers::upsample_nearest2d_backward(rec, gdy, gdx);
                    rec.finish();
                    ctx.run(rec);
                    results.push_back({"upsample_nearest2d", "x " + s.str(),
                                       {compare(ctx, "y", gy, y_ref, k_forward_tolerance),
                                        compare(ctx, "dX", gdx, dx_ref, k_backward_tolerance)}});
                }
                return results;
            }};
}

} // namespace vkcolor::check
