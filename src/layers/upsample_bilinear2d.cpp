// Bilinear x2 upsampling (align_corners=False): the CPU reference and the GPU recording side by side.
#include "vkcolor/layers/upsample_bilinear2d.hpp"

#include <algorithm>
#include <vector>

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/layers/common.hpp"

namespace vkcolor::layers {

Shape upsample_bilinear2d_output_shape(const Shape& x) { return {x.n, x.c, 2 * x.h, 2 * x.w}; }

namespace {
// The two inputs output index d reads along one axis of `size` inputs, and their weights.
struct Taps {
    uint32_t i0, i1;
    double l0, l1;
};
Taps source_taps(uint32_t d, uint32_t size) {
    double src = std::max((d + 0.5) / 2 - 0.5, 0.0);
    auto i0 = static_cast<uint32_t>(src);
    uint32_t i1 = i0 + 1 < size ? i0 + 1 : i0;
    double l1 = src - i0;
    return {i0, i1, 1 - l1, l1};
}
} // namespace

HostTensor cpu::upsample_bilinear2d_forward(const HostTensor& x) {
    HostTensor y(upsample_bilinear2d_output_shape(x.shape));
    const Shape& s = y.shape;
    for (uint32_t n = 0; n < s.n; ++n)
        for (uint32_t c = 0; c < s.c; ++c)
            for (uint32_t h = 0; h < s.h; ++h) {
                Taps th = source_taps(h, x.shape.h);
                for (uint32_t w = 0; w < s.w; ++w) {
                    Taps tw = source_taps(w, x.shape.w);
                    double v = th.l0 * (tw.l0 * x.at(n, c, th.i0, tw.i0) + tw.l1 * x.at(n, c, th.i0, tw.i1)) +
                               th.l1 * (tw.l0 * x.at(n, c, th.i1, tw.i0) + tw.l1 * x.at(n, c, th.i1, tw.i1));
                    y.at(n, c, h, w) = static_cast<float>(v);
                }
            }
    return y;
}

HostTensor cpu::upsample_bilinear2d_backward(const HostTensor& dy) {
    const Shape& s = dy.shape;
    if (s.h % 2 || s.w % 2) throw Error("internal: upsample_bilinear2d_backward: dy " + s.str() + " is not 2H x 2W");
    Shape xs{s.n, s.c, s.h / 2, s.w / 2};
    std::vector<double> acc(xs.count(), 0.0);
    auto at = [&](uint32_t n, uint32_t c, uint32_t h, uint32_t w) -> double& {
        return acc[((size_t(n) * xs.c + c) * xs.h + h) * xs.w + w];
    };
    // The forward's scatter, transposed: each output hands its dy to the four inputs it read.
    for (uint32_t n = 0; n < s.n; ++n)
        for (uint32_t c = 0; c < s.c; ++c)
            for (uint32_t h = 0; h < s.h; ++h) {
                Taps th = source_taps(h, xs.h);
                for (uint32_t w = 0; w < s.w; ++w) {
                    Taps tw = source_taps(w, xs.w);
                    double g = dy.at(n, c, h, w);
                    at(n, c, th.i0, tw.i0) += th.l0 * tw.l0 * g;
                    at(n, c, th.i0, tw.i1) += th.l0 * tw.l1 * g;
                    at(n, c, th.i1, tw.i0) += th.l1 * tw.l0 * g;
                    at(n, c, th.i1, tw.i1) += th.l1 * tw.l1 * g;
                }
            }
    HostTensor dx(xs);
    for (size_t i = 0; i < acc.size(); ++i) dx.data[i] = static_cast<float>(acc[i]);
    return dx;
}

namespace {
struct Push {
    uint32_t n, H, W;   // n: elements of the side one invocation owns (y forward, dx backward); H x W: x's plane
};
} // namespace

void upsample_bilinear2d_forward(gpu::Recording& rec, const Tensor& x, const Tensor& y) {
    const Shape& s = x.shape();
    require_same_shape("upsample_bilinear2d_forward", upsample_bilinear2d_output_shape(s), y.shape());
    uint32_t n = u32(y.shape().count());
    rec.dispatch_1d(rec.context().pipeline(shaders::upsample_bilinear2d_forward), {x, y}, Push{n, s.h, s.w}, n);
}

void upsample_bilinear2d_backward(gpu::Recording& rec, const Tensor& dy, const Tensor& dx) {
    const Shape& s = dx.shape();
    require_same_shape("upsample_bilinear2d_backward", upsample_bilinear2d_output_shape(s), dy.shape());
    uint32_t n = u32(s.count());
    u32(dy.shape().count());   // the shader indexes dy with 32-bit integers too
    rec.dispatch_1d(rec.context().pipeline(shaders::upsample_bilinear2d_backward), {dy, dx}, Push{n, s.h, s.w}, n);
}

} // namespace vkcolor::layers
