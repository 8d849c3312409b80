// Adam and AdamW (Adam with decoupled weight decay) on the GPU against their CPU reference, two
// checks from the same code: one optimizer holding a parameter of every standard shape, recorded
// once and replayed for several steps with new gradients each step and a learning-rate change half
// way (which changes AdamW's decay too). Adam runs without and with weight decay; AdamW with no,
// the default and a large decoupled weight decay. Every step's parameters and moments are
// compared; a case reports the worst step.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "vkcolor/check/harness.hpp"
#include "vkcolor/check/op_checks.hpp"
#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/optim/adam.hpp"

namespace vkcolor::check {

namespace {
constexpr uint32_t k_steps = 4;

// op: the check's name ("adam" or "adamw"), which the results carry.
std::vector<CaseResult> run_case(gpu::Context& ctx, const std::string& op, const optim::AdamOptions& options,
                                 const std::string& label, uint32_t seed) {
    auto shapes = standard_shapes();
    std::vector<HostTensor> params, grads, ms, vs;
    std::vector<Tensor> gparams, ggrads;
    gparams.reserve(shapes.size());   // the optimizer keeps pointers to these: no reallocation
    ggrads.reserve(shapes.size());
    optim::Adam adam(ctx, options);
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
    for (uint32_t step = 1; step <= k_steps; ++step) {
        if (step == k_steps / 2 + 1) adam.set_learning_rate(lr *= 0.5f);
        for (size_t i = 0; i < shapes.size(); ++i) {
            // Gradients of a different size every step, so the moments' history matters.
            grads[i] = random_tensor(shapes[i], ++seed, -1.0f, 1.0f);
            for (auto& g : grads[i].data) g *= step % 2 ? 1.0f : 0.01f;
            ggrads[i].upload(ctx, grads[i]);
            optim::cpu::adam_update(params[i], grads[i], ms[i], vs[i], step, lr, options);
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
        results.push_back({op, label + " p " + shapes[i].str() + ", " + std::to_string(k_steps) + " steps",
                           {worst[i].begin(), worst[i].end()}});
    results.push_back({op, label + " step count", {{"t", adam.step_count() == k_steps ? 0.0 : INFINITY, 0.0}}});
    return results;
}
} // namespace

OpCheck adam_check() {
    return {"adam", [](gpu::Context& ctx) {
                optim::AdamOptions plain;
                plain.lr = 0.05f;   // large steps, so the update dominates the parameters' rounding
                optim::AdamOptions decay = plain;
                decay.weight_decay = 0.1;
                auto results = run_case(ctx, "adam", plain, "lr 0.05", 500);
                auto more = run_case(ctx, "adam", decay, "lr 0.05 wd 0.1", 600);
                results.insert(results.end(), more.begin(), more.end());
                return results;
            }};
}

OpCheck adamw_check() {
    return {"adamw", [](gpu::Context& ctx) {
                std::vector<CaseResult> results;
                uint32_t seed = 2300;
                for (double wd : {0.0, 0.01, 0.5}) {
                    optim::AdamOptions o = optim::adamw_defaults();
                    o.lr = 0.05f;   // large steps, so the update dominates the parameters' rounding
                    o.weight_decay = wd;
                    char label[64];
                    std::snprintf(label, sizeof label, "lr 0.05 wd %g", wd);
                    auto more = run_case(ctx, "adamw", o, label, seed += 100);
                    results.insert(results.end(), more.begin(), more.end());
                }
                return results;
            }};
}

} // namespace vkcolor::check
