// SGD on the GPU against its CPU reference: one optimizer holding a parameter of every standard
// shape, recorded once and replayed for several steps with new gradients each step and a
// learning-rate change half way, for each momentum / dampening / Nesterov / weight-decay setting.
// Every step's parameters (and momentum buffers) are compared; a case reports the worst step.
#include <algorithm>
#include <cmath>

#include "vkcolor/check/harness.hpp"
#include "vkcolor/check/op_checks.hpp"
#include "vkcolor/optim/sgd.hpp"

namespace vkcolor::check {

namespace {
constexpr uint32_t k_steps = 4;

std::vector<CaseResult> run_case(gpu::Context& ctx, const optim::SgdOptions& options, const std::string& label,
                                 uint32_t seed) {
    auto shapes = standard_shapes();
    std::vector<HostTensor> params, grads, bufs;
    std::vector<Tensor> gparams, ggrads;
    gparams.reserve(shapes.size());   // the optimizer keeps pointers to these: no reallocation
    ggrads.reserve(shapes.size());
    optim::Sgd sgd(ctx, options);
    for (Shape s : shapes) {
        params.push_back(random_tensor(s, ++seed));
        grads.push_back(HostTensor(s));
        bufs.push_back(HostTensor(s));
        gparams.push_back(to_gpu(ctx, params.back()));
        ggrads.emplace_back(ctx, s);
        sgd.add(gparams.back(), ggrads.back());
    }
    gpu::Recording rec(ctx);
    sgd.record(rec);
    rec.finish();

    std::vector<std::vector<Comparison>> worst(shapes.size(), std::vector<Comparison>(sgd.has_momentum() ? 2 : 1));
    float lr = options.lr;
    for (uint32_t step = 1; step <= k_steps; ++step) {
        if (step == k_steps / 2 + 1) sgd.set_learning_rate(lr *= 0.5f);
        for (size_t i = 0; i < shapes.size(); ++i) {
            // Gradients of a different size every step, so the momentum's history matters.
            grads[i] = random_tensor(shapes[i], ++seed, -1.0f, 1.0f);
            for (auto& g : grads[i].data) g *= step % 2 ? 1.0f : 0.01f;
            ggrads[i].upload(ctx, grads[i]);
            optim::cpu::sgd_update(params[i], grads[i], bufs[i], step, lr, options);
        }
        ctx.run(rec);   // the same recording every step
        for (size_t i = 0; i < shapes.size(); ++i) {
            worst_of(worst[i][0], compare(ctx, "param", gparams[i], params[i], k_forward_tolerance));
            if (sgd.has_momentum())
                worst_of(worst[i][1], compare(ctx, "momentum", sgd.momentum_buffer(i), bufs[i], k_forward_tolerance));
        }
    }
    std::vector<CaseResult> results;
    for (size_t i = 0; i < shapes.size(); ++i)
        results.push_back({"sgd", label + " p " + shapes[i].str() + ", " + std::to_string(k_steps) + " steps",
                           worst[i]});
    results.push_back({"sgd", label + " step count", {{"t", sgd.step_count() == k_steps ? 0.0 : INFINITY, 0.0}}});
    return results;
}
} // namespace

OpCheck sgd_check() {
    return {"sgd", [](gpu::Context& ctx) {
                struct Setting {
                    const char* label;
                    double momentum, dampening, weight_decay;
                    bool nesterov;
                };
                std::vector<CaseResult> results;
                uint32_t seed = 1700;
                for (Setting s : {Setting{"plain", 0, 0, 0, false}, Setting{"wd 0.1", 0, 0, 0.1, false},
                                  Setting{"momentum 0.9", 0.9, 0, 0, false},
                                  Setting{"momentum 0.8 dampening 0.3 wd 0.05", 0.8, 0.3, 0.05, false},
                                  Setting{"nesterov 0.9 wd 0.1", 0.9, 0, 0.1, true}}) {
                    optim::SgdOptions o;
                    o.lr = 0.1f;   // large steps, so the update dominates the parameters' rounding
                    o.momentum = s.momentum;
                    o.dampening = s.dampening;
                    o.weight_decay = s.weight_decay;
                    o.nesterov = s.nesterov;
                    auto more = run_case(ctx, o, std::string("lr 0.1 ") + s.label, seed += 100);
                    results.insert(results.end(), more.begin(), more.end());
                }
                return results;
            }};
}

} // namespace vkcolor::check
