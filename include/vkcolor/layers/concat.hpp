#pragma once
// Channel concatenation, torch.cat((a, b), dim=1): A (N x Ca x H x W) and B (N x Cb x H x W)
// give Y (N x (Ca+Cb) x H x W), Y[:, :Ca] = A and Y[:, Ca:] = B. Backward splits dY back into dA
// and dB. These are the UNet's skip connections.
//
// Implementation: one copy shader each way, one dispatch per direction whatever N is. A 3-D grid
// of workgroups, one per (pixel chunk, channel of Y, sample), so which tensor a workgroup reads
// or writes is uniform and no invocation divides to find its channel.
//
// The zero-copy alternative: the producers of A and B write straight into their channel slices
// of Y, and the backward's consumers read dA and dB as slices of dY, so concat costs nothing. We
// do not do it (yet) because
//   - with N > 1 a channel slice is not contiguous (N runs of Ca*H*W floats, a stride of
//     (Ca+Cb)*H*W apart), so every producer (conv, batch-norm, ReLU, upsample) and every consumer
//     of a gradient would need a batch stride and a channel offset in its shaders and API;
//   - a binding's offset must be a multiple of minStorageBufferOffsetAlignment (up to 256
//     bytes), which Ca*H*W*4 need not be, so slices would need an in-shader offset anyway;
//   - the copy is bandwidth-bound and touches each element once, small next to the convolutions
//     around it.
// If profiling ever shows concat mattering, the place to start is a channel offset/stride pair in
// the conv output and conv input-gradient shaders.
#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::layers {

// N x (Ca + Cb) x H x W; throws unless a and b agree in N, H and W.
Shape concat_output_shape(const Shape& a, const Shape& b);

namespace cpu {
HostTensor concat_forward(const HostTensor& a, const HostTensor& b);
// Splits dy into the gradients of a (the first ca channels) and b (the rest).
void concat_backward(const HostTensor& dy, uint32_t ca, HostTensor& da, HostTensor& db);
} // namespace cpu

void concat_forward(gpu::Recording& rec, const Tensor& a, const Tensor& b, const Tensor& y);
// da and db must be distinct tensors of the forward's input shapes.
void concat_backward(gpu::Recording& rec, const Tensor& dy, const Tensor& da, const Tensor& db);

} // namespace vkcolor::layers
