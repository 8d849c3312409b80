// MaxUnpool2d 2x2 stride 2: the CPU reference and the GPU recording side by side.
#include "vkcolor/layers/maxunpool2d.hpp"

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/layers/common.hpp"
#include "vkcolor/layers/maxpool2d.hpp"

namespace vkcolor::layers {

namespace {
// Throws unless every index lies in the 2x2 window of its element (planes of `pooled` elements
// on the small side, W columns on the large side).
void require_window_indices(const char* op, const std::vector<uint32_t>& indices, const Shape& pooled, uint32_t W) {
    if (indices.size() != pooled.count())
        throw Error(std::string("internal: ") + op + ": " + std::to_string(indices.size()) + " indices for " +
                    pooled.str());
    size_t plane = size_t(pooled.h) * pooled.w;
    for (size_t o = 0; o < indices.size(); ++o) {
        size_t r = o % plane, oh = r / pooled.w, ow = r % pooled.w;
        size_t h = indices[o] / W, w = indices[o] % W;
        if (h / 2 != oh || w / 2 != ow)
            throw Error(std::string("internal: ") + op + ": index " + std::to_string(indices[o]) + " of element " +
                        std::to_string(o) + " is outside its 2x2 window");
    }
}
} // namespace

HostTensor cpu::maxunpool2d_forward(const HostTensor& x, const std::vector<uint32_t>& indices, const Shape& output) {
    require_same_shape("maxunpool2d_forward", maxpool2d_output_shape(output), x.shape);
    require_window_indices("maxunpool2d_forward", indices, x.shape, output.w);
    HostTensor y(output);
    size_t plane = size_t(output.h) * output.w, in_plane = size_t(x.shape.h) * x.shape.w;
    for (size_t o = 0; o < x.data.size(); ++o) y.data[o / in_plane * plane + indices[o]] = x.data[o];
    return y;
}

HostTensor cpu::maxunpool2d_backward(const HostTensor& dy, const std::vector<uint32_t>& indices) {
    HostTensor dx(maxpool2d_output_shape(dy.shape));
    require_window_indices("maxunpool2d_backward", indices, dx.shape, dy.shape.w);
    size_t plane = size_t(dy.shape.h) * dy.shape.w, in_plane = size_t(dx.shape.h) * dx.shape.w;
    for (size_t o = 0; o < dx.data.size(); ++o) dx.data[o] = dy.data[o / in_plane * plane + indices[o]];
    return dx;
}

namespace {
struct BackwardPush {
    uint32_t n, plane, out_plane;   // n: elements of dx; plane: H * W of dy; out_plane: of dx
};
} // namespace

void maxunpool2d_forward(gpu::Recording& rec, const Tensor& x, const gpu::Buffer& indices, const Tensor& y) {
    require_same_shape("maxunpool2d_forward", maxpool2d_output_shape(y.shape()), x.shape());
    // The same math as max-pool's backward (y is zero except at the winners), which also checks
    // the index buffer's size.
    maxpool2d_backward(rec, indices, x, y);
}

void maxunpool2d_backward(gpu::Recording& rec, const gpu::Buffer& indices, const Tensor& dy, const Tensor& dx) {
    const Shape& s = dx.shape();
    require_same_shape("maxunpool2d_backward", maxpool2d_output_shape(dy.shape()), s);
    if (indices.size() != s.count() * sizeof(uint32_t))
        throw Error("internal: maxunpool2d_backward: the index buffer holds " + std::to_string(indices.size()) +
                    " bytes, not one uint32 per element of " + s.str());
    u32(dy.shape().count());   // the shader indexes dy with 32-bit integers
    uint32_t n = u32(s.count());
    rec.dispatch_1d(rec.context().pipeline(shaders::maxunpool2d_backward), {indices, dy, dx},
                    BackwardPush{n, dy.shape().h * dy.shape().w, s.h * s.w}, n);
}

} // namespace vkcolor::layers
