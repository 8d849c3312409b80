#pragma once
// Fully connected layer, PyTorch's nn.Linear: y = x W^T + b,
//   y[n, o] = b[o] + sum over i of x[n, i] * w[o, i].
// Layouts (NCHW like every tensor): x N x in x 1 x 1, w out x in x 1 x 1 (PyTorch's (out, in)),
// b 1 x out x 1 x 1, y N x out x 1 x 1. A feature map N x C x H x W becomes such an x through
// layers::flatten (a zero-copy view, flatten.hpp).
//
// Gradients:
//   dX  dx[n, i] = sum over o of dy[n, o] * w[o, i]
//   dW  dw[o, i] = sum over n of dy[n, o] * x[n, i]
//   dB  db[o]    = sum over n of dy[n, o]
// Every output element is owned by one invocation that sums its terms in index order, so every
// pass is deterministic: dW and dB reduce over the batch n = 0, 1, ..., N-1 (dB by
// layers::channel_sum, whose order is fixed too). No atomics.
#include <cstdint>

#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::layers {

struct LinearParams {
    uint32_t in_features = 1, out_features = 1;
    bool bias = true;

    // N x out_features x 1 x 1; throws vkcolor::Error unless the input is N x in_features x 1 x 1.
    Shape output_shape(const Shape& input) const;
    Shape weight_shape() const { return {out_features, in_features, 1, 1}; }
    Shape bias_shape() const { return {1, out_features, 1, 1}; }
};

namespace cpu {
// Plain loops with double accumulation. `b` may be null (no bias).
HostTensor linear_forward(const HostTensor& x, const HostTensor& w, const HostTensor* b, const LinearParams& p);
HostTensor linear_backward_input(const HostTensor& dy, const HostTensor& w, const LinearParams& p);
HostTensor linear_backward_weight(const HostTensor& x, const HostTensor& dy, const LinearParams& p);
HostTensor linear_backward_bias(const HostTensor& dy);
} // namespace cpu

// GPU recordings. Shapes are checked against `p`; `b` may be null when p.bias is false.
void linear_forward(gpu::Recording& rec, const Tensor& x, const Tensor& w, const Tensor* b, const Tensor& y,
                    const LinearParams& p);
void linear_backward_input(gpu::Recording& rec, const Tensor& dy, const Tensor& w, const Tensor& dx,
                           const LinearParams& p);
void linear_backward_weight(gpu::Recording& rec, const Tensor& x, const Tensor& dy, const Tensor& dw,
                            const LinearParams& p);
void linear_backward_bias(gpu::Recording& rec, const Tensor& dy, const Tensor& db);

} // namespace vkcolor::layers
