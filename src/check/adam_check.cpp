// Adam on the GPU against its CPU reference: one optimizer holding a parameter of every standard
// shape, recorded once and replayed for several steps with new gradients each step and a
// learning-rate change half way, without and with weight decay. Every step's parameters and
// moments are compared; a case reports the worst step.
#include <algorithm>
#include <array>
#include <cmath>

#include "vkcolor/check/harness.hpp"
#include "vkcolor/check/op_checks.hpp"
#include "moment_optimizer_check.hpp"
#include "vkcolor/optim/adam.hpp"

namespace vkcolor::check {

namespace {
std::vector<CaseResult> run_case(gpu::Context& ctx, const optim::AdamOptions& o, const std::string& label, uint32_t seed) {
    return run_moment_optimizer_case<optim::Adam>(ctx, "adam", o, optim::cpu::adam_update, label, seed);
}
} // namespace

OpCheck adam_check() {
    return {"adam", [](gpu::Context& ctx) {
                optim::AdamOptions plain;
                plain.lr = 0.05f;   // large steps, so the update dominates the parameters' rounding
                optim::AdamOptions decay = plain;
                decay.weight_decay = 0.1;
                auto results = run_case(ctx, plain, "lr 0.05", 500);
                auto more = run_case(ctx, decay, "lr 0.05 wd 0.1", 600);
                results.insert(results.end(), more.begin(), more.end());
                return results;
            }};
}

} // namespace vkcolor::check
