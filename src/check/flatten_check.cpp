// Flatten on the GPU: a view, no dispatch. For every standard shape: the view shares the input's
// buffer and has the flattened shape; a shader writing the input and a shader reading the view
// in one recording (the recorder must put a barrier between them, as for one tensor) give the
// CPU reference's values exactly; the backward view of the gradient likewise.
#include <cmath>

#include "vkcolor/check/harness.hpp"
#include "vkcolor/check/op_checks.hpp"
#include "vkcolor/layers/elementwise.hpp"
#include "vkcolor/layers/flatten.hpp"
#include "vkcolor/layers/relu.hpp"

namespace vkcolor::check {

OpCheck flatten_check() {
    return {"flatten", [](gpu::Context& ctx) {
                std::vector<CaseResult> results;
                uint32_t seed = 1400;
                for (Shape s : standard_shapes()) {
                    HostTensor x = random_tensor(s, ++seed), dy = random_tensor(layers::flatten_shape(s), ++seed);
                    // y = relu(x) written through x's shape, then z = y + y read through the view.
                    HostTensor y_ref = layers::cpu::flatten(layers::cpu::relu_forward(x));
                    HostTensor z_ref = layers::cpu::add(y_ref, y_ref);
                    HostTensor dx_ref = layers::cpu::flatten_backward(dy, s);

                    Tensor gx = to_gpu(ctx, x), gr(ctx, s), gdy = to_gpu(ctx, dy);
                    Tensor gy = layers::flatten(gr), gz(ctx, gy.shape());
                    Tensor gdx = layers::flatten_backward(gdy, s);
                    gpu::Recording rec(ctx);
                    layers::relu_forward(rec, gx, gr);
                    layers::add(rec, gy, gy, gz);
                    rec.finish();
                    size_t dispatches = rec.dispatch_count();
                    ctx.run(rec);

                    bool shared = gy.buffer().handle() == gr.buffer().handle() &&
                                  gdx.buffer().handle() == gdy.buffer().handle() && dispatches == 2;
                    results.push_back({"flatten", "x " + s.str(),
                                       {{"shared buffer", shared ? 0.0 : INFINITY, 0.0},
                                        compare(ctx, "y", gy, y_ref, 0.0),
                                        compare(ctx, "y read through the view", gz, z_ref, 0.0),
                                        compare(ctx, "dX", gdx, dx_ref, 0.0)}});
                }
                return results;
            }};
}

} // namespace vkcolor::check
