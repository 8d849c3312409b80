// AvgPool2d 2x2 stride 2: the CPU reference and the GPU recording side by side.
#include "vkcolor/layers/avgpool2d.hpp"

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/layers/common.hpp"

namespace vkcolor::layers {

Shape avgpool2d_output_shape(const Shape& x) {
    if (x.h < 2 || x.w < 2)
        throw Error("internal: avgpool2d of a " + x.str() + " input: H and W must be at least 2");
    return {x.n, x.c, x.h / 2, x.w / 2};
}

HostTensor cpu::avgpool2d_forward(const HostTensor& x) {
    HostTensor y(avgpool2d_output_shape(x.shape));
    const Shape& s = y.shape;
    for (uint32_t n = 0; n < s.n; ++n)
        for (uint32_t c = 0; c < s.c; ++c)
            for (uint32_t oh = 0; oh < s.h; ++oh)
                for (uint32_t ow = 0; ow < s.w; ++ow) {
                    double sum = 0;
                    for (uint32_t h = 2 * oh; h < 2 * oh + 2; ++h)
                        for (uint32_t w = 2 * ow; w < 2 * ow + 2; ++w) sum += x.at(n, c, h, w);
                    y.at(n, c, oh, ow) = static_cast<float>(sum / 4);
                }
    return y;
}

HostTensor cpu::avgpool2d_backward(const Shape& x_shape, const HostTensor& dy) {
    require_same_shape("avgpool2d_backward", avgpool2d_output_shape(x_shape), dy.shape);
    HostTensor dx(x_shape);   // zeros: a dropped row or column gets nothing
    const Shape& s = dy.shape;
    for (uint32_t n = 0; n < s.n; ++n)
        for (uint32_t c = 0; c < s.c; ++c)
            for (uint32_t oh = 0; oh < s.h; ++oh)
                for (uint32_t ow = 0; ow < s.w; ++ow)
                    for (uint32_t h = 2 * oh; h < 2 * oh + 2; ++h)
                        for (uint32_t w = 2 * ow; w < 2 * ow + 2; ++w)
                            dx.at(n, c, h, w) = static_cast<float>(double(dy.at(n, c, oh, ow)) / 4);
    return dx;
}

namespace {
struct ForwardPush {
    uint32_t n, H, W, Ho, Wo;   // n: output elements
};
struct BackwardPush {
    uint32_t n, H, W, Hb, Wb, Ho, Wo;   // n: 2x2 blocks of dx, Hb x Wb per plane (rounded up)
};
} // namespace

void avgpool2d_forward(gpu::Recording& rec, const Tensor& x, const Tensor& y) {
    const Shape& s = x.shape();
    require_same_shape("avgpool2d_forward", avgpool2d_output_shape(s), y.shape());
    u32(s.count());   // the shader indexes x with 32-bit integers
    uint32_t n = u32(y.shape().count());
    rec.dispatch_1d(rec.context().pipeline(shaders::avgpool2d_forward), {x, y}, ForwardPush{n, s.h, s.w, s.h / 2, s.w / 2}, n);
}

void avgpool2d_backward(gpu::Recording& rec, const Tensor& dy, const Tensor& dx) {
    const Shape& s = dx.shape();
    require_same_shape("avgpool2d_backward", avgpool2d_output_shape(s), dy.shape());
    u32(s.count());   // the shader indexes dx with 32-bit integers
    uint32_t Hb = (s.h + 1) / 2, Wb = (s.w + 1) / 2, n = u32(size_t(s.n) * s.c * Hb * Wb);
    rec.dispatch_1d(rec.context().pipeline(shaders::avgpool2d_backward), {dy, dx},
                    BackwardPush{n, s.h, s.w, Hb, Wb, s.h / 2, s.w / 2}, n);
}

} // namespace vkcolor::layers
