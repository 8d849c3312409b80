// AvgPool2d 2x2/2 on the GPU against its CPU reference: y and dX.
#include "vkcolor/check/op_checks.hpp"

#include "vkcolor/layers/avgpool2d.hpp"

namespace vkcolor::check {

OpCheck avgpool2d_check() {
    return {"avgpool2d", [](gpu::Context& ctx) {
                std::vector<CaseResult> results;
                uint32_t seed = 500;
                // Pooling needs H, W >= 2: the standard shapes that allow it, plus the smallest
                // windows, including an odd trailing row and column that must get a zero gradient.
                std::vector<Shape> shapes = {{1, 1, 2, 2}, {1, 1, 3, 2}, {2, 3, 2, 5}};
                for (Shape s : standard_shapes())
                    if (s.h >= 2 && s.w >= 2) shapes.push_back(s);
                for (Shape s : shapes) {
                    Shape ys = layers::avgpool2d_output_shape(s);
                    HostTensor x = random_tensor(s, ++seed), dy = random_tensor(ys, ++seed);
                    HostTensor y_ref = layers::cpu::avgpool2d_forward(x);
                    HostTensor dx_ref = layers::cpu::avgpool2d_backward(s, dy);

                    Tensor gx = to_gpu(ctx, x), gdy = to_gpu(ctx, dy), gy(ctx, ys), gdx(ctx, s);
                    gpu::Recording rec(ctx);
                    layers::avgpool2d_forward(rec, gx, gy);
                    layers::avgpool2d_backward(rec, gdy, gdx);
                    rec.finish();
                    ctx.run(rec);
                    results.push_back({"avgpool2d", "x " + s.str(),
                                       {compare(ctx, "y", gy, y_ref, k_forward_tolerance),
                                        compare(ctx, "dX", gdx, dx_ref, k_backward_tolerance)}});
                }
                return results;
            }};
}

} // namespace vkcolor::check
