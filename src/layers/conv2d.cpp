// 2-D convolution: the CPU reference and the GPU recording side by side.
#include "vkcolor/layers/conv2d.hpp"

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/layers/common.hpp"
#include "vkcolor/layers/reduce.hpp"
#include "conv2d_texel.hpp"

namespace vkcolor::layers {

namespace {
// One output size along one axis, PyTorch's formula; 0 if the dilated kernel does not fit.
uint32_t output_extent(uint32_t in, const Conv2dParams& p) {
    int64_t span = int64_t(p.dilation) * (p.kernel - 1) + 1;
    int64_t padded = int64_t(in) + 2 * int64_t(p.padding);
    return padded < span ? 0 : static_cast<uint32_t>((padded - span) / p.stride + 1);
}
} // namespace

Shape Conv2dParams::output_shape(const Shape& input) const {
    if (kernel == 0 || stride == 0 || dilation == 0 || in_channels == 0 || out_channels == 0)
        throw Error("internal: conv2d: kernel, stride, dilation and channel counts must be positive");
    if (input.c != in_channels)
        throw Error("internal: conv2d: input " + input.str() + " has " + std::to_string(input.c) + " channels, expected " +
                    std::to_string(in_channels));
    Shape out{input.n, out_channels, output_extent(input.h, *this), output_extent(input.w, *this)};
    if (out.h == 0 || out.w == 0)
        throw Error("internal: conv2d: input " + input.str() + " is smaller than the kernel");
    return out;
}

double Conv2dParams::flops(const Shape& input) const {
    Shape out = output_shape(input);
    return 2.0 * out.n * out.c * in_channels * kernel * kernel * out.h * out.w;
}

// --- CPU reference ---------------------------------------------------------------------------

namespace {
// Calls f(n, co, oy, ox, ci, ky, kx, iy, ix) for every multiply-add of the convolution that
// reads inside the input (padding contributes zeros, so it is skipped). All three passes are
// this loop with a different body.
template <class F>
void for_each_tap(const Shape& in, const Shape& out, const Conv2dParams& p, F&& f) {
    for (uint32_t n = 0; n < out.n; ++n)
        for (uint32_t co = 0; co < out.c; ++co)
            for (uint32_t oy = 0; oy < out.h; ++oy)
                for (uint32_t ox = 0; ox < out.w; ++ox)
                    for (uint32_t ci = 0; ci < in.c; ++ci)
                        for (uint32_t ky = 0; ky < p.kernel; ++ky) {
                            int64_t iy = int64_t(oy) * p.stride + int64_t(ky) * p.dilation - p.padding;
                            if (iy < 0 || iy >= in.h) continue;
                            for (uint32_t kx = 0; kx < p.kernel; ++kx) {
                                int64_t ix = int64_t(ox) * p.stride + int64_t(kx) * p.dilation - p.padding;
                                if (ix < 0 || ix >= in.w) continue;
                                f(n, co, oy, ox, ci, ky, kx, uint32_t(iy), uint32_t(ix));
                            }
                        }
}

HostTensor to_float(Shape s, const std::vector<double>& acc) {
    HostTensor t(s);
    for (size_t i = 0; i < acc.size(); ++i) t.data[i] = static_cast<float>(acc[i]);
    return t;
}

size_t index(const Shape& s, uint32_t n, uint32_t c, uint32_t h, uint32_t w) {
    return ((size_t(n) * s.c + c) * s.h + h) * s.w + w;
}
} // namespace

HostTensor cpu::conv2d_forward(const HostTensor& x, const HostTensor& w, const HostTensor* b, const Conv2dParams& p) {
    Shape out = p.output_shape(x.shape);
    require_same_shape("conv2d_forward weight", w.shape, p.weight_shape());
    if (b) require_same_shape("conv2d_forward bias", b->shape, p.bias_shape());
    std::vector<double> acc(out.count(), 0.0);
    for_each_tap(x.shape, out, p, [&](auto n, auto co, auto oy, auto ox, auto ci, auto ky, auto kx, auto iy, auto ix) {
        acc[index(out, n, co, oy, ox)] += double(w.at(co, ci, ky, kx)) * x.at(n, ci, iy, ix);
    });
    if (b)
        for (uint32_t n = 0; n < out.n; ++n)
            for (uint32_t co = 0; co < out.c; ++co)
                for (size_t i = 0; i < size_t(out.h) * out.w; ++i) acc[index(out, n, co, 0, 0) + i] += b->data[co];
    return to_float(out, acc);
}

HostTensor cpu::conv2d_backward_input(const HostTensor& dy, const HostTensor& w, const Shape& input,
                                      const Conv2dParams& p) {
    require_same_shape("conv2d_backward_input dY", dy.shape, p.output_shape(input));
    require_same_shape("conv2d_backward_input weight", w.shape, p.weight_shape());
    std::vector<double> acc(input.count(), 0.0);
    for_each_tap(input, dy.shape, p, [&](auto n, auto co, auto oy, auto ox, auto ci, auto ky, auto kx, auto iy, auto ix) {
        acc[index(input, n, ci, iy, ix)] += double(w.at(co, ci, ky, kx)) * dy.at(n, co, oy, ox);
    });
    return to_float(input, acc);
}

HostTensor cpu::conv2d_backward_weight(const HostTensor& x, const HostTensor& dy, const Conv2dParams& p) {
    require_same_shape("conv2d_backward_weight dY", dy.shape, p.output_shape(x.shape));
    Shape ws = p.weight_shape();
    std::vector<double> acc(ws.count(), 0.0);
    for_each_tap(x.shape, dy.shape, p, [&](auto n, auto co, auto oy, auto ox, auto ci, auto ky, auto kx, auto iy, auto ix) {
        acc[index(ws, co, ci, ky, kx)] += double(dy.at(n, co, oy, ox)) * x.at(n, ci, iy, ix);
    });
    return to_float(ws, acc);
}

HostTensor cpu::conv2d_backward_bias(const HostTensor& dy) { return cpu::channel_sum(dy); }

// --- GPU -------------------------------------------------------------------------------------

namespace {
// The shape of a tiled product (shaders/conv2d_tiles.glsl): `threads` invocations of bm x bn
// blocks cover tile_m rows by tile_n = bn * threads / (tile_m / bm) columns, in reduction
// chunks of kc.
struct Tiles {
    uint32_t threads = 64, tile_m = 16, kc = 8, bm = 4, bn = 4;
    uint32_t tile_n() const { return bn * threads / (tile_m / bm); }
};

// The tile configurations, largest first. 64 invocations suit lavapipe (8-wide subgroups) and
// discrete GPUs alike; reduction chunks of 8 keep the shared tiles at 4-8.5 KiB. The 64 x 64
// tile (for 48 or more rows) loads fewer B columns per multiply-add than 32 x 128: measured
// 1.3-1.7x faster on lavapipe for the 64-channel layers (dW most). 8 x 8 blocks
// measured 3-3.5x faster than 4 x 4 on lavapipe (which loads each lane of a shared or storage
// access on its own, so loads per multiply-add decide the speed); narrower blocks only serve
// matrices of 8 rows or fewer. Few configurations also means few pipelines to compile
// (lavapipe compiles each on first use, about half a second).
constexpr Tiles k_tile_options[] = {
    {64, 64, 8, 8, 8},   // 64 x 64
    {64, 32, 8, 8, 8},   // 32 x 128
    {64, 16, 8, 8, 8},   // 16 x 256
    {64, 8, 8, 8, 4},    //  8 x 256
    {64, 4, 8, 4, 4},    //  4 x 256
};

// The largest row tile that pads M by at most a third (24 channels run as 32), else the one
// that pads least.
Tiles tiles_for_rows(uint32_t M) {
    auto padded = [&](const Tiles& t) { return (uint64_t(M) + t.tile_m - 1) / t.tile_m * t.tile_m; };
    const Tiles* best = &k_tile_options[0];
    for (const Tiles& t : k_tile_options) {
        if (3 * padded(t) <= 4 * uint64_t(M)) return t;
        if (padded(t) < padded(*best)) best = &t;
    }
    return *best;
}

// Forward and dX: the columns are output (input) pixels of the whole batch, always plenty.
Tiles pixel_tiles(uint32_t M) { return tiles_for_rows(M); }

// dW: the columns are the Cin * k * k weights of one output channel, as few as 9 (1 -> 32
// layer): halve the workgroup (down to 8 invocations, for this tiny product only) while half
// a column tile would still cover every column, so that such layers do not compute mostly
// padding.
Tiles weight_tiles(const Conv2dParams& p) {
    Tiles t = tiles_for_rows(p.out_channels);
    uint64_t columns = uint64_t(p.in_channels) * p.kernel * p.kernel;
    uint32_t tm = t.tile_m / t.bm;
    while (t.threads > 8 && (t.threads / 2) % tm == 0 && t.tile_n() / 2 >= columns) t.threads /= 2;
    return t;
}

const gpu::Pipeline& tiled_pipeline(gpu::Context& ctx, shaders::Name shader, const Tiles& t, uint32_t extra = 0,
                                    bool with_extra = false) {
    size_t shared = size_t(t.kc) * (t.tile_m + t.tile_n()) * sizeof(float);
    if (shared > 16384) throw Error("internal: conv2d tiles need " + std::to_string(shared) + " bytes of shared memory");
    return with_extra ? ctx.pipeline(shader, {t.threads, 1, 1, t.tile_m, t.kc, t.bm, t.bn, extra})
                      : ctx.pipeline(shader, {t.threads, 1, 1, t.tile_m, t.kc, t.bm, t.bn});
}

uint32_t tile_count(uint64_t extent, uint32_t tile) { return u32((extent + tile - 1) / tile); }

void require_groups(gpu::Context& ctx, const char* op, uint32_t groups, int dim) {
    if (groups > ctx.info().max_workgroup_count[dim])
        throw Error(std::string("internal: ") + op + " needs " + std::to_string(groups) +
                    " workgroups in dimension " + std::to_string(dim) + ", over the device's limit");
}

struct ForwardPush {
    uint32_t N, Cin, H, W, Cout, OH, OW, kernel, stride, padding, dilation, has_bias;
};
struct BackwardInputPush {
    uint32_t N, Cin, H, W, Cout, OH, OW, kernel, padding, dilation;
};
struct BackwardWeightPush {
    uint32_t N, Cin, H, W, Cout, OH, OW, kernel, stride, padding, dilation, S;
};
struct SwapPush {
    uint32_t Cout, Cin, KK;
};

ForwardPush forward_push(const Shape& in, const Shape& out, const Conv2dParams& p, bool has_bias) {
    return {in.n, in.c, in.h, in.w, out.c, out.h, out.w, p.kernel, p.stride, p.padding, p.dilation, has_bias ? 1u : 0u};
}

void check_forward_shapes(const char* op, const Tensor& x, const Tensor& w, const Tensor* b, const Tensor& y,
                          const Conv2dParams& p) {
    require_same_shape(op, y.shape(), p.output_shape(x.shape()));
    require_same_shape(op, w.shape(), p.weight_shape());
    if (b) require_same_shape(op, b->shape(), p.bias_shape());
    if (p.bias && !b) throw Error(std::string("internal: ") + op + ": the layer has a bias but none was given");
}
} // namespace

const std::vector<std::string>& conv2d_variants() {
    static const std::vector<std::string> names = {"tiled", "texel"};
    return names;
}

Conv2dKernels conv2d_kernels(const gpu::Context& ctx) { return conv2d_kernels(ctx.info(), ctx.forced_variant("conv2d")); }

Conv2dKernels conv2d_kernels(const gpu::DeviceInfo& device, const std::optional<std::string>& forced) {
    auto known = [](const std::string& v, const std::string& where) {
        const auto& names = conv2d_variants();
        if (std::find(names.begin(), names.end(), v) == names.end())
            throw Error(where + " names the convolution kernels '" + v + "'; known: tiled, texel");
        return v;
    };
    if (forced) return {known(*forced, "--conv"), "forced by --conv"};
    if (const char* env = std::getenv("VKCOLOR_CONV"); env && *env)
        return {known(env, "VKCOLOR_CONV"), "VKCOLOR_CONV=" + std::string(env)};
    if (device.type == VK_PHYSICAL_DEVICE_TYPE_CPU)
        return {"texel", "a CPU Vulkan driver: texel fetches are gathers, storage and shared loads per-lane loops"};
    return {"tiled", "a GPU: shared-memory tiles"};
}

std::string conv2d_kernel_for(const gpu::Context& ctx, const char* pass, const Shape& input, const Conv2dParams& p) {
    if (conv2d_kernels(ctx).variant != "texel") return "tiled";
    std::string op = pass;
    if (op == "forward") return texel::forward_unfit(ctx, input, p).empty() ? "texel" : "tiled";
    if (op == "backward_input") return texel::backward_input_unfit(ctx, input, p).empty() ? "texel" : "tiled";
    if (op == "backward_weight") return texel::backward_weight_unfit(ctx, input, p).empty() ? "texel" : "tiled";
    throw Error("internal: conv2d has no pass '" + op + "'");
}

std::string conv2d_shaders_for(const gpu::Context& ctx, const char* pass, const Shape& input, const Conv2dParams& p) {
    const bool texel = conv2d_kernel_for(ctx, pass, input, p) == "texel";
    const std::string op = pass;
    if (op == "forward") return texel ? "conv2d_pack_input + conv2d_pack_weight + conv2d_texel_forward" : "conv2d_forward";
    if (op == "backward_input")
        return texel ? "conv2d_pack_input + conv2d_pack_weight + conv2d_texel_forward (transposed)"
                     : "conv2d_weight_swap_channels + conv2d_backward_input";
    return texel ? "conv2d_pack_input x2 + conv2d_texel_weight + sum_partials" : "conv2d_backward_weight + sum_partials";
}

void conv2d_forward(gpu::Recording& rec, const Tensor& x, const Tensor& w, const Tensor* b, const Tensor& y,
                    const Conv2dParams& p) {
    check_forward_shapes("conv2d_forward", x, w, b, y, p);
    auto& ctx = rec.context();
    if (conv2d_kernel_for(rec.context(), "forward", x.shape(), p) == "texel") return texel::forward(rec, x, w, b, y, p);
    const Shape &in = x.shape(), &out = y.shape();
    Tiles t = pixel_tiles(out.c);
    uint32_t groups_y = tile_count(out.c, t.tile_m);
    require_groups(ctx, "conv2d_forward", groups_y, 1);
    uint32_t groups_x = ctx.groups_for(uint64_t(out.n) * out.h * out.w, t.tile_n());   // capped: grid-stride
    rec.dispatch(tiled_pipeline(ctx, shaders::conv2d_forward, t), {x, w, b ? *b : w, y}, forward_push(in, out, p, b),
                 {groups_x, groups_y, 1});
}

void conv2d_forward_naive(gpu::Recording& rec, const Tensor& x, const Tensor& w, const Tensor* b, const Tensor& y,
                          const Conv2dParams& p) {
    check_forward_shapes("conv2d_forward_naive", x, w, b, y, p);
    rec.dispatch_1d(rec.context().pipeline(shaders::conv2d_forward_naive), {x, w, b ? *b : w, y},
                    forward_push(x.shape(), y.shape(), p, b), y.shape().count());
}

void conv2d_backward_input(gpu::Recording& rec, const Tensor& dy, const Tensor& w, const Tensor& dx,
                           const Conv2dParams& p) {
    const Shape &in = dx.shape(), &out = dy.shape();
    require_same_shape("conv2d_backward_input", out, p.output_shape(in));
    require_same_shape("conv2d_backward_input", w.shape(), p.weight_shape());
    auto& ctx = rec.context();
    if (conv2d_kernel_for(ctx, "backward_input", in, p) == "texel") return texel::backward_input(rec, dy, w, dx, p);
    uint32_t KK = p.kernel * p.kernel;

    // The weight with its channel axes swapped: rows of the product become contiguous.
    const auto& wt = rec.scratch(w.shape().bytes());
    rec.dispatch_1d(ctx.pipeline(shaders::conv2d_weight_swap_channels), {w, wt}, SwapPush{out.c, in.c, KK}, w.shape().count());

    Tiles t = pixel_tiles(in.c);
    uint32_t groups_y = tile_count(in.c, t.tile_m);
    require_groups(ctx, "conv2d_backward_input", groups_y, 1);
    uint32_t groups_x = ctx.groups_for(uint64_t(in.n) * in.h * in.w, t.tile_n());
    rec.dispatch(tiled_pipeline(ctx, shaders::conv2d_backward_input, t, p.stride, true), {dy, wt, dx},
                 BackwardInputPush{in.n, in.c, in.h, in.w, out.c, out.h, out.w, p.kernel, p.padding, p.dilation},
                 {groups_x, groups_y, 1});
}

uint32_t conv2d_weight_chunks(const Shape& input, const Conv2dParams& p) {
    Shape out = p.output_shape(input);
    Tiles t = weight_tiles(p);
    uint64_t tiles = uint64_t(tile_count(p.out_channels, t.tile_m)) *
                     tile_count(uint64_t(p.in_channels) * p.kernel * p.kernel, t.tile_n());
    // About 256 workgroups in all (enough to fill a GPU, and both lavapipe threads), each over
    // at least 8 output rows (shorter chunks spend more on setup and partials than on sums), and
    // at most 256 partials per weight for sum_partials to add in order.
    uint64_t rows = uint64_t(out.n) * out.h;
    uint64_t most = std::clamp<uint64_t>(rows / 8, 1, 256);
    return u32(std::clamp<uint64_t>((256 + tiles - 1) / tiles, 1, most));
}

void conv2d_backward_weight(gpu::Recording& rec, const Tensor& x, const Tensor& dy, const Tensor& dw,
                            const Conv2dParams& p) {
    const Shape &in = x.shape(), &out = dy.shape();
    require_same_shape("conv2d_backward_weight", out, p.output_shape(in));
    require_same_shape("conv2d_backward_weight", dw.shape(), p.weight_shape());
    auto& ctx = rec.context();
    if (conv2d_kernel_for(ctx, "backward_weight", in, p) == "texel") return texel::backward_weight(rec, x, dy, dw, p);
    uint32_t K = u32(size_t(in.c) * p.kernel * p.kernel);
    Tiles t = weight_tiles(p);
    uint32_t S = conv2d_weight_chunks(in, p);
    uint32_t groups_x = tile_count(K, t.tile_n()), groups_y = tile_count(out.c, t.tile_m);
    require_groups(ctx, "conv2d_backward_weight", groups_x, 0);
    require_groups(ctx, "conv2d_backward_weight", groups_y, 1);
    require_groups(ctx, "conv2d_backward_weight", S, 2);
    const auto& partial = rec.scratch(size_t(out.c) * K * S * sizeof(float));
    rec.dispatch(tiled_pipeline(ctx, shaders::conv2d_backward_weight, t), {x, dy, partial},
                 BackwardWeightPush{in.n, in.c, in.h, in.w, out.c, out.h, out.w, p.kernel, p.stride, p.padding,
                                    p.dilation, S},
                 {groups_x, groups_y, S});
    sum_partials(rec, partial, u32(size_t(out.c) * K), S, dw);
}

void conv2d_backward_bias(gpu::Recording& rec, const Tensor& dy, const Tensor& db) { channel_sum(rec, dy, nullptr, db); }

} // namespace vkcolor::layers
