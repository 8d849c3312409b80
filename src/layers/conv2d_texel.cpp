// Recording the texel-buffer convolution kernels; see conv2d_texel.hpp.
#include "conv2d_texel.hpp"

#include <algorithm>

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/layers/common.hpp"

namespace vkcolor::layers::texel {

namespace {
// Each invocation computes k_pixels neighbouring outputs of a row for k_channels output
// channels: 32 accumulators, and per tap k_pixels input texels and k_channels weight texels
// for 4 * 32 multiply-adds.
constexpr uint32_t k_pixels = 4, k_channels = 8, k_threads = 64;

// One convolution-shaped product: `src` (N x C x H x W) into `dst` (N x M x OH x OW). The
// forward pass is one; the input gradient of a stride-1 convolution is another (swap: the
// weight transposed and flipped).
struct Product {
    Shape src, dst;
    uint32_t kernel = 3, stride = 1, padding = 0, dilation = 1;
    bool swap = false;
    uint32_t CB() const { return (src.c + 3) / 4; }
    uint32_t HP() const { return src.h + 2 * padding; }
    uint32_t WP() const { return src.w + 2 * padding; }
    uint32_t groups() const { return (dst.c + k_channels - 1) / k_channels; }
    uint64_t packed_input_texels() const { return uint64_t(src.n) * CB() * HP() * WP(); }
    uint64_t packed_weight_texels() const { return uint64_t(groups()) * CB() * kernel * kernel * k_channels; }
};

Product forward_product(const Shape& input, const Conv2dParams& p) {
    return {input, p.output_shape(input), p.kernel, p.stride, p.padding, p.dilation, false};
}

// dX[n, ci, iy, ix] = sum over co, taps of w[co, ci, K-1-tap] * dY[n, co, iy - pad' + tap*d]:
// a stride-1 convolution of dY with padding pad' = d (k - 1) - pad.
Product backward_input_product(const Shape& input, const Conv2dParams& p) {
    return {p.output_shape(input), input, p.kernel, 1, p.dilation * (p.kernel - 1) - p.padding, p.dilation, true};
}

std::string unfit(const gpu::Context& ctx, const Product& q) {
    const auto& info = ctx.info();
    uint64_t source_texels = (q.src.count() + 3) / 4;
    uint64_t packed_bytes = q.packed_input_texels() * gpu::k_texel_bytes;
    if (q.kernel * q.kernel > 49) return "kernels above 7 x 7 are not unrolled";
    if (std::max({source_texels, q.packed_input_texels(), q.packed_weight_texels()}) > info.max_texel_buffer_elements)
        return "its operands exceed the device's " + std::to_string(info.max_texel_buffer_elements) +
               " texels per texel view";
    if (packed_bytes > info.max_storage_buffer_range)
        return "its padded input exceeds the device's storage-buffer limit";
    if (q.groups() > info.max_workgroup_count[1]) return "too many output channels for the device's workgroup grid";
    return "";
}

struct PackInputPush {
    uint32_t N, C, H, W, CB, HP, WP, padding;
};
struct PackWeightPush {
    uint32_t M, C, KK, CB, groups;
};
struct ForwardPush {
    uint32_t N, CB, HP, WP, Cout, OH, OW, stride, dilation, has_bias, blocks_x;
};

// Whether the kernel may hand weights round by subgroupShuffle: every lane of a subgroup runs
// it (the dispatch keeps them all active) and a subgroup holds at least k_channels lanes.
uint32_t shuffle_width(const gpu::Context& ctx) {
    const auto& info = ctx.info();
    bool fits = info.subgroup_shuffle && info.subgroup_size >= k_channels && k_threads % info.subgroup_size == 0;
    return fits ? info.subgroup_size : 0;
}

void record(gpu::Recording& rec, const Product& q, const Tensor& src, const Tensor& w, const Tensor* b,
            const Tensor& dst) {
    auto& ctx = rec.context();
    std::string why = unfit(ctx, q);
    if (!why.empty()) throw Error("internal: conv2d texel kernels: " + why);
    const uint32_t CB = q.CB(), HP = q.HP(), WP = q.WP(), KK = q.kernel * q.kernel, groups = q.groups();

    const auto& packed_x = rec.scratch(q.packed_input_texels() * gpu::k_texel_bytes);
    rec.dispatch_flat(ctx.pipeline("conv2d_pack_input", {k_threads, 1, 1}), {src, packed_x},
                      PackInputPush{q.src.n, q.src.c, q.src.h, q.src.w, CB, HP, WP, q.padding},
                      q.packed_input_texels());
    const auto& packed_w = rec.scratch(q.packed_weight_texels() * gpu::k_texel_bytes);
    rec.dispatch_flat(ctx.pipeline("conv2d_pack_weight", {k_threads, 1, 1, k_channels, q.swap ? 1u : 0u}),
                      {w, packed_w}, PackWeightPush{q.dst.c, q.src.c, KK, CB, groups}, q.packed_weight_texels());

    const uint32_t blocks_x = (q.dst.w + k_pixels - 1) / k_pixels;
    const auto& kernel = ctx.pipeline("conv2d_texel_forward", {k_threads, 1, 1, q.kernel, k_pixels, k_channels,
                                                               shuffle_width(ctx)});
    rec.dispatch_flat(kernel, {packed_x, packed_w, b ? *b : w, dst},
                      ForwardPush{q.dst.n, CB, HP, WP, q.dst.c, q.dst.h, q.dst.w, q.stride, q.dilation, b ? 1u : 0u,
                                  blocks_x},
                      uint64_t(q.dst.n) * q.dst.h * blocks_x, groups);
}
} // namespace

std::string forward_unfit(const gpu::Context& ctx, const Shape& input, const Conv2dParams& p) {
    return unfit(ctx, forward_product(input, p));
}

std::string backward_input_unfit(const gpu::Context& ctx, const Shape& input, const Conv2dParams& p) {
    if (p.stride != 1) return "stride " + std::to_string(p.stride) + " (the texel input gradient needs stride 1)";
    if (p.padding > p.dilation * (p.kernel - 1)) return "padding wider than the dilated kernel";
    return unfit(ctx, backward_input_product(input, p));
}

void forward(gpu::Recording& rec, const Tensor& x, const Tensor& w, const Tensor* b, const Tensor& y,
             const Conv2dParams& p) {
    record(rec, forward_product(x.shape(), p), x, w, b, y);
}

void backward_input(gpu::Recording& rec, const Tensor& dy, const Tensor& w, const Tensor& dx, const Conv2dParams& p) {
    record(rec, backward_input_product(dx.shape(), p), dy, w, nullptr, dx);
}

} // namespace vkcolor::layers::texel
