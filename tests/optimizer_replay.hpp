#pragma once
// The optimizer tests' replay loop: record one optimisation step once, then replay it for steps
// from..to (counted from 1), uploading that step's gradient before each replay, as training does.
#include <cstdint>

#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::test {

// grad_of(k) gives step k's gradient (a HostTensor of grad's shape).
template <class Optimizer, class GradOf>
void replay_steps(gpu::Context& ctx, const Optimizer& optimizer, Tensor& grad, uint32_t from, uint32_t to,
                  GradOf grad_of) {
    gpu::Recording rec(ctx);
    optimizer.record(rec);
    rec.finish();
    for (uint32_t k = from; k <= to; ++k) {
        grad.upload(ctx, grad_of(k));
        ctx.run(rec);
    }
}

} // namespace vkcolor::test
