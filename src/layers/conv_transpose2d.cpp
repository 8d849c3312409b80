// Transposed 2-D convolution: the CPU reference and the GPU recording side by side.
#include "vkcolor/layers/conv_transpose2d.hpp"

#include <vector>

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/layers/common.hpp"
#include "vkcolor/layers/reduce.hpp"

namespace vkcolor::layers {

Shape ConvTranspose2dParams::output_shape(const Shape& input) const {
    if (kernel == 0 || stride == 0 || in_channels == 0 || out_channels == 0)
        throw Error("internal: conv_transpose2d: kernel, stride and channel counts must be positive");
    if (output_padding >= stride)
        throw Error("internal: conv_transpose2d: output_padding " + std::to_string(output_padding) +
                    " must be smaller than the stride " + std::to_string(stride));
    if (input.c != in_channels)
        throw Error("internal: conv_transpose2d: input " + input.str() + " has " + std::to_string(input.c) +
                    " channels, expected " + std::to_string(in_channels));
    auto extent = [&](uint32_t in) {
        int64_t e = (int64_t(in) - 1) * stride - 2 * int64_t(padding) + kernel + output_padding;
        if (in == 0 || e <= 0)
            throw Error("internal: conv_transpose2d: input " + input.str() + " gives an empty output");
        if (e > 0xffffffffll) throw Error("internal: conv_transpose2d: output of input " + input.str() + " too large");
        return static_cast<uint32_t>(e);
    };
    return {input.n, out_channels, extent(input.h), extent(input.w)};
}

Conv2dParams ConvTranspose2dParams::as_conv() const {
    return {out_channels, in_channels, kernel, stride, padding, 1, false};
}

// --- CPU reference ---------------------------------------------------------------------------

namespace {
// Calls f(n, ci, iy, ix, co, ky, kx, oy, ox) for every input element and kernel tap whose target
// (oy, ox) = (iy*s - p + ky, ix*s - p + kx) lies inside the output. All passes are this loop.
template <class F>
void for_each_tap(const Shape& in, const Shape& out, const ConvTranspose2dParams& p, F&& f) {
    for (uint32_t n = 0; n < in.n; ++n)
        for (uint32_t ci = 0; ci < in.c; ++ci)
            for (uint32_t iy = 0; iy < in.h; ++iy)
                for (uint32_t ix = 0; ix < in.w; ++ix)
                    for (uint32_t co = 0; co < out.c; ++co)
                        for (uint32_t ky = 0; ky < p.kernel; ++ky) {
                            int64_t oy = int64_t(iy) * p.stride - p.padding + ky;
                            if (oy < 0 || oy >= out.h) continue;
                            for (uint32_t kx = 0; kx < p.kernel; ++kx) {
                                int64_t ox = int64_t(ix) * p.stride - p.padding + kx;
                                if (ox < 0 || ox >= out.w) continue;
                                f(n, ci, iy, ix, co, ky, kx, uint32_t(oy), uint32_t(ox));
                            }
                        }
}

size_t index(const Shape& s, uint32_t n, uint32_t c, uint32_t h, uint32_t w) {
    return ((size_t(n) * s.c + c) * s.h + h) * s.w + w;
}

HostTensor to_float(Shape s, const std::vector<double>& acc) {
    HostTensor t(s);
    for (size_t i = 0; i < acc.size(); ++i) t.data[i] = static_cast<float>(acc[i]);
    return t;
}
} // namespace

HostTensor cpu::conv_transpose2d_forward(const HostTensor& x, const HostTensor& w, const HostTensor* b,
                                         const ConvTranspose2dParams& p) {
    Shape out = p.output_shape(x.shape);
    require_same_shape("conv_transpose2d_forward weight", w.shape, p.weight_shape());
    if (b) require_same_shape("conv_transpose2d_forward bias", b->shape, p.bias_shape());
    std::vector<double> acc(out.count(), 0.0);
    if (b)
        for (uint32_t n = 0; n < out.n; ++n)
            for (uint32_t co = 0; co < out.c; ++co)
                for (size_t i = 0; i < size_t(out.h) * out.w; ++i) acc[index(out, n, co, 0, 0) + i] = b->data[co];
    for_each_tap(x.shape, out, p, [&](auto n, auto ci, auto iy, auto ix, auto co, auto ky, auto kx, auto oy, auto ox) {
        acc[index(out, n, co, oy, ox)] += double(x.at(n, ci, iy, ix)) * w.at(ci, co, ky, kx);
    });
    return to_float(out, acc);
}

HostTensor cpu::conv_transpose2d_backward_input(const HostTensor& dy, const HostTensor& w, const Shape& input,
                                                const ConvTranspose2dParams& p) {
    require_same_shape("conv_transpose2d_backward_input dY", dy.shape, p.output_shape(input));
    require_same_shape("conv_transpose2d_backward_input weight", w.shape, p.weight_shape());
    std::vector<double> acc(input.count(), 0.0);
    for_each_tap(input, dy.shape, p, [&](auto n, auto ci, auto iy, auto ix, auto co, auto ky, auto kx, auto oy, auto ox) {
        acc[index(input, n, ci, iy, ix)] += double(dy.at(n, co, oy, ox)) * w.at(ci, co, ky, kx);
    });
    return to_float(input, acc);
}

HostTensor cpu::conv_transpose2d_backward_weight(const HostTensor& x, const HostTensor& dy,
                                                 const ConvTranspose2dParams& p) {
    require_same_shape("conv_transpose2d_backward_weight dY", dy.shape, p.output_shape(x.shape));
    Shape ws = p.weight_shape();
    std::vector<double> acc(ws.count(), 0.0);
    for_each_tap(x.shape, dy.shape, p, [&](auto n, auto ci, auto iy, auto ix, auto co, auto ky, auto kx, auto oy, auto ox) {
        acc[index(ws, ci, co, ky, kx)] += double(x.at(n, ci, iy, ix)) * dy.at(n, co, oy, ox);
    });
    return to_float(ws, acc);
}

HostTensor cpu::conv_transpose2d_backward_bias(const HostTensor& dy) { return cpu::channel_sum(dy); }

// --- GPU -------------------------------------------------------------------------------------

namespace {
struct BiasPush {
    uint32_t n, C, HW;   // n: elements of y
};
} // namespace

void conv_transpose2d_forward(gpu::Recording& rec, const Tensor& x, const Tensor& w, const Tensor* b, const Tensor& y,
                              const ConvTranspose2dParams& p) {
    const Shape& out = y.shape();
    require_same_shape("conv_transpose2d_forward", out, p.output_shape(x.shape()));
    require_same_shape("conv_transpose2d_forward", w.shape(), p.weight_shape());
    if (b) require_same_shape("conv_transpose2d_forward", b->shape(), p.bias_shape());
    if (p.bias && !b) throw Error("internal: conv_transpose2d_forward: the layer has a bias but none was given");
    conv2d_backward_input(rec, x, w, y, p.as_conv());
    if (b) {
        uint32_t n = u32(out.count());
        rec.dispatch_1d(rec.context().pipeline(shaders::conv_transpose2d_add_bias), {*b, y}, BiasPush{n, out.c, out.h * out.w},
                        n);
    }
}

void conv_transpose2d_backward_input(gpu::Recording& rec, const Tensor& dy, const Tensor& w, const Tensor& dx,
                                     const ConvTranspose2dParams& p) {
    require_same_shape("conv_transpose2d_backward_input", dy.shape(), p.output_shape(dx.shape()));
    require_same_shape("conv_transpose2d_backward_input", w.shape(), p.weight_shape());
    conv2d_forward(rec, dy, w, nullptr, dx, p.as_conv());
}

void conv_transpose2d_backward_weight(gpu::Recording& rec, const Tensor& x, const Tensor& dy, const Tensor& dw,
                                      const ConvTranspose2dParams& p) {
    require_same_shape("conv_transpose2d_backward_weight", dy.shape(), p.output_shape(x.shape()));
    require_same_shape("conv_transpose2d_backward_weight", dw.shape(), p.weight_shape());
    conv2d_backward_weight(rec, dy, x, dw, p.as_conv());
}

void conv_transpose2d_backward_bias(gpu::Recording& rec, const Tensor& dy, const Tensor& db) {
    channel_sum(rec, dy, nullptr, db);
}

uint32_t conv_transpose2d_weight_chunks(const Shape& input, const ConvTranspose2dParams& p) {
    return conv2d_weight_chunks(p.output_shape(input), p.as_conv());
}

} // namespace vkcolor::layers
