// MaxUnpool2d 2x2/2 on the GPU against its CPU reference, with indices from the CPU max-pool of
// random data (including many ties), uploaded as the pool would have written them.
#include "vkcolor/check/op_checks.hpp"

#include <cmath>

#include "vkcolor/layers/maxpool2d.hpp"
#include "vkcolor/layers/maxunpool2d.hpp"

namespace vkcolor::check {

namespace {
CaseResult run_case(gpu::Context& ctx, const Shape& out, const std::vector<uint32_t>& indices, uint32_t seed,
                    const std::string& what) {
    Shape pooled = layers::maxpool2d_output_shape(out);
    HostTensor x = random_tensor(pooled, seed), dy = random_tensor(out, seed + 1);
    HostTensor y_ref = layers::cpu::maxunpool2d_forward(x, indices, out);
    HostTensor dx_ref = layers::cpu::maxunpool2d_backward(dy, indices);

    Tensor gx = to_gpu(ctx, x), gdy = to_gpu(ctx, dy), gy(ctx, out), gdx(ctx, pooled);
    gpu::Buffer idx = layers::make_maxpool2d_indices(ctx, pooled);
    ctx.upload(idx, indices.data(), indices.size() * sizeof(uint32_t));
    gpu::Recording rec(ctx);
    layers::maxunpool2d_forward(rec, gx, idx, gy);
    layers::maxunpool2d_backward(rec, idx, gdy, gdx);
    rec.finish();
    ctx.run(rec);
    return {"maxunpool2d", what,
            {compare(ctx, "y", gy, y_ref, k_forward_tolerance), compare(ctx, "dX", gdx, dx_ref, k_backward_tolerance)}};
}
} // namespace

OpCheck maxunpool2d_check() {
    return {"maxunpool2d", [](gpu::Context& ctx) {
                std::vector<CaseResult> results;
                uint32_t seed = 700;
                // The output is the pool's input, so it needs H, W >= 2; odd sizes leave a last row
                // or column that no index reaches (it must stay zero).
                std::vector<Shape> shapes = {{1, 1, 2, 2}, {1, 1, 3, 2}, {2, 3, 2, 5}};
                for (Shape s : standard_shapes())
                    if (s.h >= 2 && s.w >= 2) shapes.push_back(s);
                for (Shape s : shapes) {
                    auto indices = layers::cpu::maxpool2d_forward(random_tensor(s, ++seed)).indices;
                    results.push_back(run_case(ctx, s, indices, seed += 2, "y " + s.str()));
                }
                // Ties (values from {-1, 0, 1}): many winners are a window's first element.
                Shape s{2, 5, 13, 11};
                HostTensor pooled_input = random_tensor(s, ++seed);
                for (auto& v : pooled_input.data) v = std::round(v);
                auto indices = layers::cpu::maxpool2d_forward(pooled_input).indices;
                results.push_back(run_case(ctx, s, indices, seed += 2, "y " + s.str() + ", ties"));
                return results;
            }};
}

} // namespace vkcolor::check
