#pragma once
// 2-D convolution, PyTorch's nn.Conv2d with groups = 1 (a cross-correlation):
//   y[n, co, oy, ox] = b[co] + sum over ci, ky, kx of
//                      w[co, ci, ky, kx] * x[n, ci, oy*s - p + ky*d, ox*s - p + kx*d]
// with zero padding p, stride s and dilation d; OH = floor((H + 2p - d*(k-1) - 1) / s) + 1.
// Layouts: x N x Cin x H x W, w Cout x Cin x k x k, b 1 x Cout x 1 x 1, y N x Cout x OH x OW.
//
// On the GPU every pass is an implicit matrix product computed in tiles (no im2col buffer):
//   forward   y[co, (n,oy,ox)]  = sum over r = (ci,ky,kx) of w[co, r] * x_patch[r, (n,oy,ox)]
//   dX        dx[ci, (n,iy,ix)] = sum over r = (co,ky,kx) of w[co, ci, ky, kx] * dy[(n,co), oy, ox]
//             (a gather: each dX element is owned by one invocation; no atomics)
//   dW        dw[co, r]         = sum over (n,oy,ox) of dy[n, co, oy, ox] * x_patch[r, (n,oy,ox)]
//             (split into a fixed number of chunks written as partials, then summed in order:
//             deterministic)
// Each invocation accumulates an 8 x 8 register block (4 x 4 or 8 x 4 for few channels) of its
// workgroup's tile; the tile's operands are staged through shared memory in chunks of the
// reduction, permuted so that each invocation reads its rows and columns as vec4s
// (shaders/conv2d_tiles.glsl).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::layers {

struct Conv2dParams {
    uint32_t in_channels = 1, out_channels = 1, kernel = 3;
    uint32_t stride = 1, padding = 0, dilation = 1;
    bool bias = true;

    // N x out_channels x OH x OW; throws vkcolor::Error if the input has the wrong channel count
    // or is too small for the (dilated) kernel.
    Shape output_shape(const Shape& input) const;
    Shape weight_shape() const { return {out_channels, in_channels, kernel, kernel}; }
    Shape bias_shape() const { return {1, out_channels, 1, 1}; }
    // 2 * N * Cout * Cin * k * k * OH * OW: the multiply-adds of one pass, counted as two flops.
    double flops(const Shape& input) const;
};

namespace cpu {
// Plain loops with double accumulation. `b` may be null (no bias).
HostTensor conv2d_forward(const HostTensor& x, const HostTensor& w, const HostTensor* b, const Conv2dParams& p);
// dX given dY; `input` is the shape of x (the output size alone does not determine it).
HostTensor conv2d_backward_input(const HostTensor& dy, const HostTensor& w, const Shape& input, const Conv2dParams& p);
HostTensor conv2d_backward_weight(const HostTensor& x, const HostTensor& dy, const Conv2dParams& p);
HostTensor conv2d_backward_bias(const HostTensor& dy);
} // namespace cpu

// The kernels that run the convolutions on a device, and why:
//   "texel"  texel-buffer kernels (src/layers/conv2d_texel.hpp) for CPU Vulkan drivers, which
//            compile a texel fetch into one gather but a storage or shared load into a loop
//            over the lanes: forward, weight gradient and the stride-1 input gradient;
//   "tiled"  the shared-memory tiles above, for GPUs.
// The choice: ctx.force_variant("conv2d", ...) (the CLI's --conv, and the checks, which run
// every variant), else the VKCOLOR_CONV environment variable, else by device type. A layer the
// texel kernels cannot run (stride-2 input gradient, operands over the texel-view limit) runs
// tiled; conv2d_kernel_for says which ran.
struct Conv2dKernels {
    std::string variant, reason;
};
Conv2dKernels conv2d_kernels(const gpu::Context& ctx);
Conv2dKernels conv2d_kernels(const gpu::DeviceInfo& device, const std::optional<std::string>& forced);
const std::vector<std::string>& conv2d_variants();   // {"tiled", "texel"}
// The variant that runs one pass ("forward", "backward_input", "backward_weight") of a layer.
std::string conv2d_kernel_for(const gpu::Context& ctx, const char* pass, const Shape& input, const Conv2dParams& p);
// The shaders that pass runs, in order, e.g. "conv2d_pack_input + conv2d_pack_weight + conv2d_texel_forward".
std::string conv2d_shaders_for(const gpu::Context& ctx, const char* pass, const Shape& input, const Conv2dParams& p);

// GPU recordings. Shapes are checked against `p`; `b` may be null when p.bias is false.
void conv2d_forward(gpu::Recording& rec, const Tensor& x, const Tensor& w, const Tensor* b, const Tensor& y,
                    const Conv2dParams& p);
void conv2d_backward_input(gpu::Recording& rec, const Tensor& dy, const Tensor& w, const Tensor& dx,
                           const Conv2dParams& p);
void conv2d_backward_weight(gpu::Recording& rec, const Tensor& x, const Tensor& dy, const Tensor& dw,
                            const Conv2dParams& p);
void conv2d_backward_bias(gpu::Recording& rec, const Tensor& dy, const Tensor& db);

// The one-output-per-invocation forward, kept as the baseline the benchmark compares the
// blocked shader with (and checked against the CPU like every shader).
void conv2d_forward_naive(gpu::Recording& rec, const Tensor& x, const Tensor& w, const Tensor* b, const Tensor& y,
                          const Conv2dParams& p);

// How the dW reduction over N*OH*OW is split: a function of the shapes only, so results are
// reproducible. Exposed for the determinism test.
uint32_t conv2d_weight_chunks(const Shape& input, const Conv2dParams& p);

} // namespace vkcolor::layers
