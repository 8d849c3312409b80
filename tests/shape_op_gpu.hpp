#pragma once
// Running a parameter-free op whose backward needs only dy (pools, upsamples) on the GPU: forward
// then backward in one recording, submitted 1 + `replays` times (replays show determinism).
#include <utility>
#include <vector>

#include "gpu_fixture.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::test {

using ForwardFn = void (*)(gpu::Recording&, const Tensor& x, const Tensor& y);
using BackwardFn = void (*)(gpu::Recording&, const Tensor& dy, const Tensor& dx);

// Returns y (dy's shape) and dx (x's shape).
inline std::pair<std::vector<float>, std::vector<float>> run_shape_op_gpu(ForwardFn forward, BackwardFn backward,
                                                                         const HostTensor& x, const HostTensor& dy,
                                                                         int replays = 0) {
    auto& ctx = gpu();
    Tensor gx = check::to_gpu(ctx, x), gdy = check::to_gpu(ctx, dy), gy(ctx, dy.shape), gdx(ctx, x.shape);
    gpu::Recording rec(ctx);
    forward(rec, gx, gy);
    backward(rec, gdy, gdx);
    rec.finish();
    for (int i = 0; i <= replays; ++i) ctx.run(rec);
    return {gy.download(ctx), gdx.download(ctx)};
}

} // namespace vkcolor::test
