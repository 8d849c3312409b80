#pragma once
// Element-wise arithmetic: a plain same-shape add (the scheduler's gradient sums), and add and
// multiply with b broadcast against a (attention gates).
#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::layers {

// How b's shape relates to a's (N x C x H x W) in add_broadcast and mul_broadcast, as PyTorch
// broadcasts it; the first that fits, in this order:
enum class Broadcast {
    Same,          // b is N x C x H x W
    OverChannels,  // b is N x 1 x H x W: one value per pixel, shared by every channel
    PerChannel,    // b is 1 x C x 1 x 1: one value per channel, shared by every pixel and image
};
// Throws vkcolor::Error("internal: ...") when b fits none of them.
Broadcast broadcast_of(const Shape& a, const Shape& b);

namespace cpu {
HostTensor add(const HostTensor& a, const HostTensor& b);

// y = a + b and y = a * b with b broadcast (y has a's shape).
HostTensor add_broadcast(const HostTensor& a, const HostTensor& b);
HostTensor mul_broadcast(const HostTensor& a, const HostTensor& b);
// Gradients: da has a's shape; db has b's, the sum of its terms over the axes b is broadcast
// along (PyTorch's sum_to_size), in double.
struct BroadcastGrads {
    HostTensor da, db;
};
// da = dy, db = dy summed to b's shape.
BroadcastGrads add_broadcast_backward(const HostTensor& dy, const Shape& b);
// da = dy * b (broadcast), db = dy * a summed to b's shape.
BroadcastGrads mul_broadcast_backward(const HostTensor& a, const HostTensor& b, const HostTensor& dy);
} // namespace cpu

// y = a + b. y may not alias a or b (the shader declares them readonly and y writeonly).
void add(gpu::Recording& rec, const Tensor& a, const Tensor& b, const Tensor& y);

// The broadcasting ops on the GPU; y has a's shape and aliases neither input. The gradients of
// broadcast inputs are reductions in a fixed order (deterministic, no atomics): over channels
// one invocation per pixel adds c = 0, 1, ..., C-1 in order; per channel layers::channel_sum.
void add_broadcast(gpu::Recording& rec, const Tensor& a, const Tensor& b, const Tensor& y);
void mul_broadcast(gpu::Recording& rec, const Tensor& a, const Tensor& b, const Tensor& y);
void add_broadcast_backward(gpu::Recording& rec, const Tensor& dy, const Tensor& da, const Tensor& db);
void mul_broadcast_backward(gpu::Recording& rec, const Tensor& a, const Tensor& b, const Tensor& dy,
                            const Tensor& da, const Tensor& db);

} // namespace vkcolor::layers
