// MaxPool2d 2x2 stride 2: the CPU reference and the GPU recording side by side.
#include "vkcolor/layers/maxpool2d.hpp"

#include <cmath>
#include <limits>

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/layers/common.hpp"

namespace vkcolor::layers {

Shape maxpool2d_output_shape(const Shape& x) {
    if (x.h < 2 || x.w < 2)
        throw Error("internal: maxpool2d of a " + x.str() + " input: H and W must be at least 2");
    return {x.n, x.c, x.h / 2, x.w / 2};
}

cpu::MaxPool2dResult cpu::maxpool2d_forward(const HostTensor& x) {
    const Shape& s = x.shape;
    MaxPool2dResult r{HostTensor(maxpool2d_output_shape(s)), {}};
    r.indices.resize(r.y.data.size());
    size_t o = 0;
    for (uint32_t n = 0; n < s.n; ++n)
        for (uint32_t c = 0; c < s.c; ++c)
            for (uint32_t oh = 0; oh < s.h / 2; ++oh)
                for (uint32_t ow = 0; ow < s.w / 2; ++ow, ++o) {
                    float best = -std::numeric_limits<float>::infinity();
                    uint32_t best_at = 2 * oh * s.w + 2 * ow;
                    for (uint32_t h = 2 * oh; h < 2 * oh + 2; ++h)
                        for (uint32_t w = 2 * ow; w < 2 * ow + 2; ++w) {
                            float v = x.at(n, c, h, w);
                            if (v > best || std::isnan(v)) {   // first maximum wins; NaN always wins
                                best = v;
                                best_at = h * s.w + w;
                            }
                        }
                    r.y.data[o] = best;
                    r.indices[o] = best_at;
                }
    return r;
}

HostTensor cpu::maxpool2d_backward(const Shape& x_shape, const std::vector<uint32_t>& indices, const HostTensor& dy) {
    require_same_shape("maxpool2d_backward", maxpool2d_output_shape(x_shape), dy.shape);
    if (indices.size() != dy.data.size()) throw Error("internal: maxpool2d_backward: indices and dy differ in size");
    HostTensor dx(x_shape);
    size_t plane = size_t(x_shape.h) * x_shape.w, out_plane = size_t(dy.shape.h) * dy.shape.w;
    for (size_t o = 0; o < dy.data.size(); ++o) dx.data[o / out_plane * plane + indices[o]] = dy.data[o];
    return dx;
}

gpu::Buffer make_maxpool2d_indices(gpu::Context& ctx, const Shape& y) {
    return ctx.create_buffer(y.count() * sizeof(uint32_t));
}

namespace {
struct ForwardPush {
    uint32_t n, H, W, Ho, Wo;   // n: output elements
};
struct BackwardPush {
    uint32_t n, H, W, Hb, Wb, Ho, Wo;   // n: 2x2 blocks of dx, Hb x Wb per plane (rounded up)
};

void require_index_buffer(const gpu::Buffer& indices, const Shape& y) {
    if (indices.size() != y.count() * sizeof(uint32_t))
        throw Error("internal: maxpool2d: the index buffer holds " + std::to_string(indices.size()) +
                    " bytes, not one uint32 per element of " + y.str());
}
} // namespace

void maxpool2d_forward(gpu::Recording& rec, const Tensor& x, const Tensor& y, const gpu::Buffer& indices) {
    const Shape& s = x.shape();
    require_same_shape("maxpool2d_forward", maxpool2d_output_shape(s), y.shape());
    require_index_buffer(indices, y.shape());
    uint32_t n = u32(y.shape().count());
    // The shader takes 4 windows an invocation where W % 8 == 0.
    rec.dispatch_1d(rec.context().pipeline(shaders::maxpool2d_forward), {x, y, indices},
                    ForwardPush{n, s.h, s.w, s.h / 2, s.w / 2}, s.w % 8 == 0 ? n / 4 : n);
}

void maxpool2d_backward(gpu::Recording& rec, const gpu::Buffer& indices, const Tensor& dy, const Tensor& dx) {
    const Shape& s = dx.shape();
    require_same_shape("maxpool2d_backward", maxpool2d_output_shape(s), dy.shape());
    require_index_buffer(indices, dy.shape());
    u32(s.count());   // the shader indexes dx with 32-bit integers
    uint32_t Hb = (s.h + 1) / 2, Wb = (s.w + 1) / 2, n = u32(size_t(s.n) * s.c * Hb * Wb);
    // The shader takes 4 blocks an invocation where W % 8 == 0.
    rec.dispatch_1d(rec.context().pipeline(shaders::maxpool2d_backward), {indices, dy, dx},
                    BackwardPush{n, s.h, s.w, Hb, Wb, s.h / 2, s.w / 2}, s.w % 8 == 0 ? n / 4 : n);
}

} // namespace vkcolor::layers
