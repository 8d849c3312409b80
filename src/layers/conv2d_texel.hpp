#pragma once
// The texel-buffer convolution kernels (shaders/conv2d_texel_forward.comp and its two packing
// shaders), for CPU Vulkan drivers: lavapipe turns a storage-buffer or shared-memory load into
// a loop over the lanes, but a texel fetch into one AVX2 gather, so these kernels read every
// operand through RGBA32F texel views, four channels per texel, with no shared memory and no
// barrier. Internal to src/layers/conv2d.cpp, which chooses between them and the tiled kernels.
#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/layers/conv2d.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::layers::texel {

// Whether the forward kernel can run this layer on this device (its packed operands fit the
// device's texel-view and storage-buffer limits); if not, the empty string, else why not.
std::string forward_unfit(const gpu::Context& ctx, const Shape& input, const Conv2dParams& p);
// The same for the input gradient, which runs as the forward product on dY with the weight
// transposed and flipped: stride 1 and padding <= dilation * (kernel - 1) only.
std::string backward_input_unfit(const gpu::Context& ctx, const Shape& input, const Conv2dParams& p);

// The same for the weight gradient (any stride).
std::string backward_weight_unfit(const gpu::Context& ctx, const Shape& input, const Conv2dParams& p);

void forward(gpu::Recording& rec, const Tensor& x, const Tensor& w, const Tensor* b, const Tensor& y,
             const Conv2dParams& p);
void backward_input(gpu::Recording& rec, const Tensor& dy, const Tensor& w, const Tensor& dx, const Conv2dParams& p);
void backward_weight(gpu::Recording& rec, const Tensor& x, const Tensor& dy, const Tensor& dw, const Conv2dParams& p);

} // namespace vkcolor::layers::texel
