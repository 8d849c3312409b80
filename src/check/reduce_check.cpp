// Per-channel sums on the GPU against the CPU reference.
#include "vkcolor/check/op_checks.hpp"
#include <algorithm>
#include <cmath>

#include "vkcolor/layers/reduce.hpp"

namespace vkcolor::check {

OpCheck channel_sum_check() {
    return {"channel_sum", [](gpu::Context& ctx) {
                std::vector<CaseResult> results;
                uint32_t seed = 200;
                auto shapes = standard_shapes();
                shapes.push_back({100, 5, 32, 32});   // many chunks per channel
                for (Shape s : shapes) {
                    HostTensor a = random_tensor(s, ++seed), b = random_tensor(s, ++seed);
                    Tensor ga = to_gpu(ctx, a), gb = to_gpu(ctx, b), sum(ctx, {1, s.c, 1, 1}), dot(ctx, {1, s.c, 1, 1});
                    gpu::Recording rec(ctx);
                    layers::channel_sum(rec, ga, nullptr, sum, 0.5f);
                    layers::channel_sum(rec, ga, &gb, dot);
                    rec.finish();
                    ctx.run(rec);
                    // Sums of random signs cancel: measure against the sum of magnitudes instead
                    // of the (small) result, which is what fp32 accumulation error scales with.
                    HostTensor abs_a = a;
                    for (auto& v : abs_a.data) v = std::fabs(v);
                    auto rel = [&](const Tensor& got, const HostTensor& want, const HostTensor& mag) {
                        auto g = got.download(ctx);
                        double worst = 0;
                        for (size_t i = 0; i < g.size(); ++i)
                            worst = std::max(worst, std::fabs(double(g[i]) - want.data[i]) / std::max(1e-30, double(mag.data[i])));
                        return worst;
                    };
                    HostTensor mag = layers::cpu::channel_sum(abs_a, nullptr, 0.5f);
                    HostTensor mag_dot = layers::cpu::channel_sum(abs_a);   // |a*b| <= |a| with |b| <= 1
                    results.push_back({"channel_sum", "x " + s.str(),
                                       {{"sum", rel(sum, layers::cpu::channel_sum(a, nullptr, 0.5f), mag), k_forward_tolerance},
                                        {"sum(a*b)", rel(dot, layers::cpu::channel_sum(a, &b), mag_dot), k_forward_tolerance}}});
                }
                return results;
            }};
}

} // namespace vkcolor::check
