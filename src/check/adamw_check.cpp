// AdamW on the GPU against its CPU reference, as adam_check does Adam: one optimizer holding a
// parameter of every standard shape, recorded once and replayed for several steps with new
// gradients each step and a learning-rate change half way (which changes the decay too), with
// no, the default and a large decoupled weight decay. Every step's parameters and moments are
// compared; a case reports the worst step.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "vkcolor/check/harness.hpp"
#include "vkcolor/check/op_checks.hpp"
#include "moment_optimizer_check.hpp"
#include "vkcolor/optim/adamw.hpp"

namespace vkcolor::check {

namespace {
std::vector<CaseResult> run_case(gpu::Context& ctx, const optim::AdamWOptions& o, const std::string& label, uint32_t seed) {
    return run_moment_optimizer_case<optim::AdamW>(ctx, "adamw", o, optim::cpu::adamw_update, label, seed);
}
} // namespace

OpCheck adamw_check() {
    return {"adamw", [](gpu::Context& ctx) {
                std::vector<CaseResult> results;
                uint32_t seed = 2300;
                for (double wd : {0.0, 0.01, 0.5}) {
                    optim::AdamWOptions o;
                    o.lr = 0.05f;   // large steps, so the update dominates the parameters' rounding
                    o.weight_decay = wd;
                    char label[64];
                    std::snprintf(label, sizeof label, "lr 0.05 wd %g", wd);
                    auto more = run_case(ctx, o, label, seed += 100);
                    results.insert(results.end(), more.begin(), more.end());
                }
                return results;
            }};
}

} // namespace vkcolor::check
