#pragma once
// Deterministic reductions shared by the layers (batch-norm statistics, bias gradients, losses).
// Two stages, fixed order, no floating-point atomics: the same input gives the same bits on a
// device, run after run.
#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::layers {

namespace cpu {
// out[c] = scale * sum over n, h, w of a[n, c, h, w] (times b[n, c, h, w] if b is given).
// Shape of out: 1 x C x 1 x 1.
HostTensor channel_sum(const HostTensor& a, const HostTensor* b = nullptr, float scale = 1.0f);
} // namespace cpu

// GPU version: `out` must be 1 x C x 1 x 1. Scratch for partial sums comes from the recording.
void channel_sum(gpu::Recording& rec, const Tensor& a, const Tensor* b, const Tensor& out, float scale = 1.0f);

// The number of chunks each channel is split into for N*HW elements (a function of the shape
// only, so results are reproducible).
uint32_t channel_sum_chunks(size_t elements_per_channel);

// Stage 2 on its own, for ops that write their own stage-1 partials: out[m] = scale * sum over
// s < S of partial[m * S + s].
void sum_partials(gpu::Recording& rec, const gpu::Buffer& partial, uint32_t M, uint32_t S, const gpu::Buffer& out,
                  float scale = 1.0f);

// loss (1 x 1 x 1 x 1) = mean over all elements of f(pred - target), f = d^2 or |d|: the forward
// of the MSE and L1 losses (pointwise_loss_partial + sum_partials, deterministic).
enum class PointwiseLoss : uint32_t { Squared = 0, Absolute = 1 };
void mean_pointwise_loss(gpu::Recording& rec, const Tensor& pred, const Tensor& target, const Tensor& loss,
                         PointwiseLoss f);

} // namespace vkcolor::layers
