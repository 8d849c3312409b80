// Element-wise add on the GPU against the CPU reference.
#include "vkcolor/check/op_checks.hpp"
#include "vkcolor/layers/elementwise.hpp"

namespace vkcolor::check {

OpCheck add_check() {
    return {"add", [](gpu::Context& ctx) {
                std::vector<CaseResult> results;
                uint32_t seed = 300;
                for (Shape s : standard_shapes()) {
                    HostTensor a = random_tensor(s, ++seed), b = random_tensor(s, ++seed);
                    Tensor ga = to_gpu(ctx, a), gb = to_gpu(ctx, b), gy(ctx, s);
                    gpu::Recording rec(ctx);
                    layers::add(rec, ga, gb, gy);
                    rec.finish();
                    ctx.run(rec);
                    results.push_back({"add", "x " + s.str(), {compare(ctx, "y", gy, layers::cpu::add(a, b), k_forward_tolerance)}});
                }
                return results;
            }};
}

} // namespace vkcolor::check
