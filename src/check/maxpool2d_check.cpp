// MaxPool2d 2x2/2 on the GPU against its CPU reference: values, winner indices and dX.
#include "vkcolor/check/op_checks.hpp"

#include <cmath>

#include "vkcolor/layers/maxpool2d.hpp"

namespace vkcolor::check {

namespace {
// Fraction of indices that differ: the winners must agree exactly (tolerance 0).
Comparison compare_indices(gpu::Context& ctx, const gpu::Buffer& got, const std::vector<uint32_t>& want) {
    std::vector<uint32_t> g(want.size());
    ctx.download(got, g.data(), g.size() * sizeof(uint32_t));
    size_t wrong = 0;
    for (size_t i = 0; i < g.size(); ++i) wrong += g[i] != want[i];
    return {"indices", want.empty() ? 0.0 : double(wrong) / double(want.size()), 0.0};
}

CaseResult run_case(gpu::Context& ctx, const HostTensor& x, const HostTensor& dy, const std::string& what) {
    auto ref = layers::cpu::maxpool2d_forward(x);
    HostTensor dx_ref = layers::cpu::maxpool2d_backward(x.shape, ref.indices, dy);

    Tensor gx = to_gpu(ctx, x), gdy = to_gpu(ctx, dy), gy(ctx, dy.shape), gdx(ctx, x.shape);
    gpu::Buffer idx = layers::make_maxpool2d_indices(ctx, dy.shape);
    gpu::Recording rec(ctx);
    layers::maxpool2d_forward(rec, gx, gy, idx);
    layers::maxpool2d_backward(rec, idx, gdy, gdx);
    rec.finish();
    ctx.run(rec);
    return {"maxpool2d", what,
            {compare(ctx, "y", gy, ref.y, k_forward_tolerance), compare_indices(ctx, idx, ref.indices),
             compare(ctx, "dX", gdx, dx_ref, k_backward_tolerance)}};
}
} // namespace

OpCheck maxpool2d_check() {
    return {"maxpool2d", [](gpu::Context& ctx) {
                std::vector<CaseResult> results;
                uint32_t seed = 300;
                // Pooling needs H, W >= 2: the standard shapes that allow it, plus the smallest
                // windows, including an odd trailing row and column that must be dropped.
                std::vector<Shape> shapes = {{1, 1, 2, 2}, {1, 1, 3, 2}, {2, 3, 2, 5}};
                for (Shape s : standard_shapes())
                    if (s.h >= 2 && s.w >= 2) shapes.push_back(s);
                for (Shape s : shapes) {
                    HostTensor x = random_tensor(s, ++seed);
                    HostTensor dy = random_tensor(layers::maxpool2d_output_shape(s), ++seed);
                    results.push_back(run_case(ctx, x, dy, "x " + s.str()));
                }
                // Many ties (values from {-1, 0, 1}): the GPU must pick PyTorch's first maximum.
                // 2x5x7x16 takes the shaders' four-windows-an-invocation path (W % 8 == 0) with
                // an odd last row to drop.
                for (Shape s : {Shape{2, 5, 13, 11}, Shape{1, 64, 9, 7}, Shape{2, 5, 7, 16}}) {
                    HostTensor x = random_tensor(s, ++seed);
                    for (auto& v : x.data) v = std::round(v);
                    HostTensor dy = random_tensor(layers::maxpool2d_output_shape(s), ++seed);
                    results.push_back(run_case(ctx, x, dy, "x " + s.str() + ", ties"));
                }
                return results;
            }};
}

} // namespace vkcolor::check
