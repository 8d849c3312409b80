#pragma once
// The check shared by the optimizers with two moments (Adam, AdamW): one optimizer holding a
// parameter of every standard shape, recorded once and replayed for several steps with new
// gradients each step and a learning-rate change half way. Every step's parameters and moments
// are compared with the CPU reference; a case reports the worst step.
#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "vkcolor/check/harness.hpp"
#include "vkcolor/gpu/recording.hpp"

namespace vkcolor::check {

inline constexpr uint32_t k_moment_steps = 4;

inline void worst_of(Comparison& acc, const Comparison& c) {
    acc.output = c.output;
    acc.tolerance = c.tolerance;
    acc.error = std::max(acc.error, c.error);
}

template <class Optimizer, class Options, class CpuUpdate>
std::vector<CaseResult> run_moment_optimizer_case(gpu::Context& ctx, const std::string& op, const Options& options,
                                                  CpuUpdate cpu_update, const std::string& label, uint32_t seed) {
    auto shapes = standard_shapes();
    std::vector<HostTensor> params, grads, ms, vs;
    std::vector<Tensor> gparams, ggrads;
    gparams.reserve(shapes.size());   // the optimizer keeps pointers to these: no reallocation
    ggrads.reserve(shapes.size());
    Optimizer adam(ctx, options);
    for (Shape s : shapes) {
        params.push_back(random_tensor(s, ++seed));
        grads.push_back(HostTensor(s));
        ms.push_back(HostTensor(s));
        vs.push_back(HostTensor(s));
        gparams.push_back(to_gpu(ctx, params.back()));
        ggrads.emplace_back(ctx, s);
        adam.add(gparams.back(), ggrads.back());
    }
    gpu::Recording rec(ctx);
    adam.record(rec);
    rec.finish();

    std::vector<std::array<Comparison, 3>> worst(shapes.size());
    float lr = options.lr;
    for (uint32_t step = 1; step <= k_moment_steps; ++step) {
        if (step == k_moment_steps / 2 + 1) adam.set_learning_rate(lr *= 0.5f);
        for (size_t i = 0; i < shapes.size(); ++i) {
            // Gradients of a different size every step, so the moments' history matters.
            grads[i] = random_tensor(shapes[i], ++seed, -1.0f, 1.0f);
            for (auto& g : grads[i].data) g *= step % 2 ? 1.0f : 0.01f;
            ggrads[i].upload(ctx, grads[i]);
            cpu_update(params[i], grads[i], ms[i], vs[i], step, lr, options);
        }
        ctx.run(rec);   // the same recording every step
        for (size_t i = 0; i < shapes.size(); ++i) {
            worst_of(worst[i][0], compare(ctx, "param", gparams[i], params[i], k_forward_tolerance));
            worst_of(worst[i][1], compare(ctx, "m", adam.exp_avg(i), ms[i], k_forward_tolerance));
            worst_of(worst[i][2], compare(ctx, "v", adam.exp_avg_sq(i), vs[i], k_forward_tolerance));
        }
    }
    std::vector<CaseResult> results;
    for (size_t i = 0; i < shapes.size(); ++i)
        results.push_back({op, label + " p " + shapes[i].str() + ", " + std::to_string(k_moment_steps) + " steps",
                           {worst[i].begin(), worst[i].end()}});
    results.push_back({op, label + " step count",
                       {{"t", adam.step_count() == k_moment_steps ? 0.0 : INFINITY, 0.0}}});
    return results;
}

} // namespace vkcolor::check
