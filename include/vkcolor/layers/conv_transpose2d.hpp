#pragma once
// Transposed 2-D convolution, PyTorch's nn.ConvTranspose2d with groups = 1 and dilation = 1:
//   y[n, co, iy*s - p + ky, ix*s - p + kx] += x[n, ci, iy, ix] * w[ci, co, ky, kx]   (plus b[co])
// for every input element and kernel tap that lands inside the output, with
//   OH = (H - 1) * s - 2p + k + output_padding   (output_padding < s, as PyTorch requires).
// Layouts: x N x Cin x H x W, w Cin x Cout x k x k (PyTorch's, input channels first),
// b 1 x Cout x 1 x 1, y N x Cout x OH x OW.
//
// This is the data gradient of the convolution C = as_conv(): a Conv2d from Cout to Cin channels
// with the same kernel, stride and padding, whose weight Cout_C x Cin_C x k x k = Cin x Cout x k x k
// is w exactly, byte for byte. C maps an OH x OW image to H x W (output_padding < s is what makes
// that hold). So the GPU passes are the tiled conv2d passes (shaders/conv2d_tiles.glsl) with the
// roles swapped, and no new product shader:
//   forward  y  = C's backward_input(dy := x)        (a gather per output element)
//            then y += b per channel (conv_transpose2d_add_bias)
//   dX       dx = C's forward(x := dy), no bias       (a gather per input element)
//   dW       dw = C's backward_weight(x := dy, dy := x)   (chunked partials + sum_partials)
//   dBias    channel_sum(dy)
// All of them deterministic (no atomics, fixed-order sums). The CPU reference is written from
// the definition above (plain scatter loops in double), not from the mapping, so the check tests
// the mapping too.
#include <cstdint>

#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/layers/conv2d.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::layers {

struct ConvTranspose2dParams {
    uint32_t in_channels = 1, out_channels = 1, kernel = 2;
    uint32_t stride = 2, padding = 0, output_padding = 0;
    bool bias = true;

    // N x out_channels x OH x OW; throws vkcolor::Error on a wrong channel count, output_padding
    // not below the stride, or an empty output.
    Shape output_shape(const Shape& input) const;
    Shape weight_shape() const { return {in_channels, out_channels, kernel, kernel}; }
    Shape bias_shape() const { return {1, out_channels, 1, 1}; }
    // The convolution whose data gradient this is (see above); it has no bias.
    Conv2dParams as_conv() const;
};

namespace cpu {
// Plain loops with double accumulation. `b` may be null (no bias).
HostTensor conv_transpose2d_forward(const HostTensor& x, const HostTensor& w, const HostTensor* b,
                                    const ConvTranspose2dParams& p);
// dX given dY; `input` is the shape of x.
HostTensor conv_transpose2d_backward_input(const HostTensor& dy, const HostTensor& w, const Shape& input,
                                           const ConvTranspose2dParams& p);
HostTensor conv_transpose2d_backward_weight(const HostTensor& x, const HostTensor& dy, const ConvTranspose2dParams& p);
HostTensor conv_transpose2d_backward_bias(const HostTensor& dy);
} // namespace cpu

// GPU recordings. Shapes are checked against `p`; `b` may be null when p.bias is false.
void conv_transpose2d_forward(gpu::Recording& rec, const Tensor& x, const Tensor& w, const Tensor* b, const Tensor& y,
                              const ConvTranspose2dParams& p);
void conv_transpose2d_backward_input(gpu::Recording& rec, const Tensor& dy, const Tensor& w, const Tensor& dx,
                                     const ConvTranspose2dParams& p);
void conv_transpose2d_backward_weight(gpu::Recording& rec, const Tensor& x, const Tensor& dy, const Tensor& dw,
                                      const ConvTranspose2dParams& p);
void conv_transpose2d_backward_bias(gpu::Recording& rec, const Tensor& dy, const Tensor& db);

// How many chunks the dW reduction is split into (a function of the shapes only). Exposed for
// the determinism test.
uint32_t conv_transpose2d_weight_chunks(const Shape& input, const ConvTranspose2dParams& p);

} // namespace vkcolor::layers
