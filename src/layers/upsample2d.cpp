// Nearest x2 upsampling: the CPU reference and the GPU recording side by side.
#include "vkcolor/layers/upsample2d.hpp"

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/layers/common.hpp"

namespace vkcolor::layers {

Shape upsample_nearest2d_output_shape(const Shape& x) { return {x.n, x.c, 2 * x.h, 2 * x.w}; }

HostTensor cpu::upsample_nearest2d_forward(const HostTensor& x) {
    HostTensor y(upsample_nearest2d_output_shape(x.shape));
    const Shape& s = y.shape;
    for (uint32_t n = 0; n < s.n; ++n)
        for (uint32_t c = 0; c < s.c; ++c)
            for (uint32_t h = 0; h < s.h; ++h)
                for (uint32_t w = 0; w < s.w; ++w) y.at(n, c, h, w) = x.at(n, c, h / 2, w / 2);
    return y;
}

HostTensor cpu::upsample_nearest2d_backward(const HostTensor& dy) {
    const Shape& s = dy.shape;
    if (s.h % 2 || s.w % 2) throw Error("internal: upsample_nearest2d_backward: dy " + s.str() + " is not 2H x 2W");
    HostTensor dx(Shape{s.n, s.c, s.h / 2, s.w / 2});
    for (uint32_t n = 0; n < s.n; ++n)
        for (uint32_t c = 0; c < s.c; ++c)
            for (uint32_t h = 0; h < s.h / 2; ++h)
                for (uint32_t w = 0; w < s.w / 2; ++w) {
                    double acc = 0;
                    for (uint32_t dh = 0; dh < 2; ++dh)
                        for (uint32_t dw = 0; dw < 2; ++dw) acc += dy.at(n, c, 2 * h + dh, 2 * w + dw);
                    dx.at(n, c, h, w) = static_cast<float>(acc);
                }
    return dx;
}

namespace {
struct Push {
    uint32_t n, H, W;   // the small side's element count and plane: x forward, dx backward
};
} // namespace

void upsample_nearest2d_forward(gpu::Recording& rec, const Tensor& x, const Tensor& y) {
    const Shape& s = x.shape();
    require_same_shape("upsample_nearest2d_forward", upsample_nearest2d_output_shape(s), y.shape());
    uint32_t n = u32(s.count());
    u32(y.shape().count());   // the shader indexes y with 32-bit integers too
    // The shader takes 4 inputs an invocation where W % 4 == 0.
    rec.dispatch_1d(rec.context().pipeline(shaders::upsample_nearest2d_forward), {x, y}, Push{n, s.h, s.w},
                    s.w % 4 == 0 ? n / 4 : n);
}

void upsample_nearest2d_backward(gpu::Recording& rec, const Tensor& dy, const Tensor& dx) {
    const Shape& s = dx.shape();
    require_same_shape("upsample_nearest2d_backward", upsample_nearest2d_output_shape(s), dy.shape());
    uint32_t n = u32(s.count());
    u32(dy.shape().count());   // the shader indexes dy with 32-bit integers too
    // The shader takes 4 outputs an invocation where W % 4 == 0.
    rec.dispatch_1d(rec.context().pipeline(shaders::upsample_nearest2d_backward), {dy, dx}, Push{n, s.h, s.w},
                    s.w % 4 == 0 ? n / 4 : n);
}

} // namespace vkcolor::layers
