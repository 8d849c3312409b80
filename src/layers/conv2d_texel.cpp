// Recording the texel-buffer convolution kernels; see conv2d_texel.hpp.
#include "conv2d_texel.hpp"

#include <algorithm>

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/layers/common.hpp"
#include "vkcolor/layers/reduce.hpp"

namespace vkcolor::layers::texel {

namespace {
// Each invocation computes k_pixels neighbouring outputs of a row for 4 RT output channels
// (RT <= 8 texels of four; the shader's limit), fitted to the layer: up to 128 accumulators, and
// per tap k_pixels input texels and 4 RT weight texels for 16 RT k_pixels multiply-adds.
constexpr uint32_t k_pixels = 4, k_max_texels = 8, k_threads = 64;

// How both kernels split `channels` output channels: into groups of 4 RT channels (RT <= 8
// texels of four), spread evenly: 24 channels are one group of 6 texels, 33 two of 5 (not 8 + 1).
struct ChannelSplit {
    uint32_t groups, RT;
};
ChannelSplit split_channels(uint32_t channels) {
    const uint32_t groups = (channels + 4 * k_max_texels - 1) / (4 * k_max_texels);
    return {groups, (channels + 4 * groups - 1) / (4 * groups)};
}

// Texels of `s` packed by conv2d_pack_input with a zero border of `padding`.
uint64_t packed_texels(const Shape& s, uint32_t padding) {
    return uint64_t(s.n) * ((s.c + 3) / 4) * (s.h + 2 * padding) * (s.w + 2 * padding);
}

// Whether a kernel may hand operands round by subgroupShuffle: every lane of a subgroup runs it
// (the dispatches keep them all active) and a subgroup is exactly the k_max_texels lanes that
// fetch one texel column each. 0: each lane fetches for itself.
uint32_t shuffle_width(const gpu::Context& ctx, uint32_t threads) {
    const auto& info = ctx.info();
    bool fits = info.subgroup_shuffle && info.subgroup_size == k_max_texels && threads % info.subgroup_size == 0;
    return fits ? info.subgroup_size : 0;
}

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
    uint32_t groups() const { return split_channels(dst.c).groups; }
    uint32_t RT() const { return split_channels(dst.c).RT; }
    uint64_t packed_input_texels() const { return packed_texels(src, padding); }
    uint64_t packed_weight_texels() const { return uint64_t(groups()) * CB() * kernel * kernel * 4 * RT(); }
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

// `src` (N x C x H x W) as texels of four channels with a zero border of `padding`. Packed once
// per recording while src is unchanged: the forward pass and the weight gradient share the packed
// input, the input and weight gradients the packed dY.
const gpu::Buffer& pack_input(gpu::Recording& rec, const Tensor& src, uint32_t padding) {
    const Shape& s = src.shape();
    const std::string key = "conv2d_pack_input " + s.str() + " padding " + std::to_string(padding);
    if (const gpu::Buffer* packed = rec.find_derived(src.buffer(), key)) return *packed;
    const uint32_t CB = (s.c + 3) / 4, HP = s.h + 2 * padding, WP = s.w + 2 * padding;
    const uint64_t texels = packed_texels(s, padding);
    const auto& packed = rec.scratch(texels * gpu::k_texel_bytes);
    rec.dispatch_flat(rec.context().pipeline(shaders::conv2d_pack_input, {k_threads, 1, 1}), {src, packed},
                      PackInputPush{s.n, s.c, s.h, s.w, CB, HP, WP, padding}, texels);
    rec.remember_derived(src.buffer(), key, packed);
    return packed;
}

void record(gpu::Recording& rec, const Product& q, const Tensor& src, const Tensor& w, const Tensor* b,
            const Tensor& dst) {
    auto& ctx = rec.context();
    std::string why = unfit(ctx, q);
    if (!why.empty()) throw Error("internal: conv2d texel kernels: " + why);
    const uint32_t CB = q.CB(), HP = q.HP(), WP = q.WP(), KK = q.kernel * q.kernel, groups = q.groups();

    const auto& packed_x = pack_input(rec, src, q.padding);
    const auto& packed_w = rec.scratch(q.packed_weight_texels() * gpu::k_texel_bytes);
    rec.dispatch_flat(ctx.pipeline(shaders::conv2d_pack_weight, {k_threads, 1, 1, q.swap ? 1u : 0u, q.RT()}),
                      {w, packed_w}, PackWeightPush{q.dst.c, q.src.c, KK, CB, groups}, q.packed_weight_texels());

    const uint32_t blocks_x = (q.dst.w + k_pixels - 1) / k_pixels;
    const auto& kernel = ctx.pipeline(shaders::conv2d_texel_forward, {k_threads, 1, 1, q.kernel, shuffle_width(ctx, k_threads), q.RT()});
    rec.dispatch_flat(kernel, {packed_x, packed_w, b ? *b : w, dst},
                      ForwardPush{q.dst.n, CB, HP, WP, q.dst.c, q.dst.h, q.dst.w, q.stride, q.dilation, b ? 1u : 0u,
                                  blocks_x},
                      uint64_t(q.dst.n) * q.dst.h * blocks_x, groups);
}

// The weight gradient: 32 threads, each owning one (4 input channels, tap) column for the 4 RT
// output channels of its group (up to 128 accumulators); workgroup z sums one chunk of about
// 4096 output pixels (whole rows), into partials that sum_partials adds in order.
constexpr uint32_t k_weight_threads = 32, k_chunk_pixels = 4096;

struct WeightPush {
    uint32_t CB, HP, WP, Cin, Cout, OB, OH, OW, stride, dilation, rows_per_chunk, rows, S, dy_padding;
};

// The border dY is packed with for the weight gradient: the input gradient's, where that runs as
// a texel product (stride 1), so that the two share one packed dY; else none.
uint32_t weight_dy_padding(const Conv2dParams& p) {
    const uint32_t reach = p.dilation * (p.kernel - 1);
    return p.stride == 1 && p.padding <= reach ? reach - p.padding : 0;
}

struct WeightPlan {
    uint32_t rows, rows_per_chunk, chunks, column_groups, channel_groups, RT;
};

// Depends on the shapes only, so the order of the sums (and their bits) does too.
WeightPlan weight_plan(const Shape& input, const Conv2dParams& p) {
    const Shape out = p.output_shape(input);
    WeightPlan w;
    w.rows = out.n * out.h;
    w.rows_per_chunk = std::max<uint32_t>(1, k_chunk_pixels / std::max<uint32_t>(out.w, 1));
    w.chunks = (w.rows + w.rows_per_chunk - 1) / w.rows_per_chunk;
    w.column_groups = ((input.c + 3) / 4 * p.kernel * p.kernel + k_weight_threads - 1) / k_weight_threads;
    const ChannelSplit split = split_channels(out.c);
    w.channel_groups = split.groups;
    w.RT = split.RT;
    return w;
}

} // namespace

std::string backward_weight_unfit(const gpu::Context& ctx, const Shape& input, const Conv2dParams& p) {
    const auto& info = ctx.info();
    const Shape out = p.output_shape(input);
    const WeightPlan w = weight_plan(input, p);
    const uint64_t x_texels = packed_texels(input, p.padding), dy_texels = packed_texels(out, weight_dy_padding(p));
    if (std::max(x_texels, dy_texels) > info.max_texel_buffer_elements)
        return "its operands exceed the device's " + std::to_string(info.max_texel_buffer_elements) + " texels per texel view";
    if (x_texels * gpu::k_texel_bytes > info.max_storage_buffer_range)
        return "its padded input exceeds the device's storage-buffer limit";
    if (uint64_t(out.c) * input.c * p.kernel * p.kernel * w.chunks * sizeof(float) > info.max_storage_buffer_range)
        return "its partial sums exceed the device's storage-buffer limit";
    if (w.column_groups > info.max_workgroup_count[0] || w.channel_groups > info.max_workgroup_count[1] ||
        w.chunks > info.max_workgroup_count[2])
        return "too many workgroups for the device's grid";
    return "";
}

void backward_weight(gpu::Recording& rec, const Tensor& x, const Tensor& dy, const Tensor& dw, const Conv2dParams& p) {
    auto& ctx = rec.context();
    const Shape &in = x.shape(), &out = dy.shape();
    std::string why = backward_weight_unfit(ctx, in, p);
    if (!why.empty()) throw Error("internal: conv2d texel weight gradient: " + why);
    const WeightPlan plan = weight_plan(in, p);
    const auto& packed_x = pack_input(rec, x, p.padding);
    const uint32_t dy_padding = weight_dy_padding(p);
    const auto& packed_dy = pack_input(rec, dy, dy_padding);
    const uint32_t K = in.c * p.kernel * p.kernel;
    const auto& partial = rec.scratch(uint64_t(out.c) * K * plan.chunks * sizeof(float));
    const auto& kernel = ctx.pipeline(shaders::conv2d_texel_weight, {k_weight_threads, 1, 1, p.kernel, shuffle_width(ctx, k_weight_threads), plan.RT});
    rec.dispatch(kernel, {packed_x, packed_dy, partial},
                 WeightPush{(in.c + 3) / 4, in.h + 2 * p.padding, in.w + 2 * p.padding, in.c, out.c, (out.c + 3) / 4, out.h,
                            out.w, p.stride, p.dilation, plan.rows_per_chunk, plan.rows, plan.chunks, dy_padding},
                 {plan.column_groups, plan.channel_groups, plan.chunks});
    sum_partials(rec, partial, out.c * K, plan.chunks, dw.buffer());
}

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
