// Channel concatenation: the CPU reference and the GPU recording side by side.
#include "vkcolor/layers/concat.hpp"

#include <algorithm>

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/layers/common.hpp"

namespace vkcolor::layers {

Shape concat_output_shape(const Shape& a, const Shape& b) {
    if (a.n != b.n || a.h != b.h || a.w != b.w)
        throw Error("internal: concat of " + a.str() + " and " + b.str() + ": N, H and W must agree");
    return {a.n, a.c + b.c, a.h, a.w};
}

HostTensor cpu::concat_forward(const HostTensor& a, const HostTensor& b) {
    HostTensor y(concat_output_shape(a.shape, b.shape));
    size_t a_block = size_t(a.shape.c) * a.shape.h * a.shape.w, b_block = size_t(b.shape.c) * b.shape.h * b.shape.w;
    auto out = y.data.begin();
    for (uint32_t n = 0; n < y.shape.n; ++n) {   // per sample: a's channels, then b's
        out = std::copy_n(a.data.begin() + n * a_block, a_block, out);
        out = std::copy_n(b.data.begin() + n * b_block, b_block, out);
    }
    return y;
}

void cpu::concat_backward(const HostTensor& dy, uint32_t ca, HostTensor& da, HostTensor& db) {
    const Shape& s = dy.shape;
    if (ca > s.c) throw Error("internal: concat_backward: " + std::to_string(ca) + " channels of " + s.str());
    da = HostTensor(Shape{s.n, ca, s.h, s.w});
    db = HostTensor(Shape{s.n, s.c - ca, s.h, s.w});
    size_t a_block = da.shape.count() / s.n, b_block = db.shape.count() / s.n;
    auto in = dy.data.begin();
    for (uint32_t n = 0; n < s.n; ++n) {
        std::copy_n(in, a_block, da.data.begin() + n * a_block);
        in += a_block;
        std::copy_n(in, b_block, db.data.begin() + n * b_block);
        in += b_block;
    }
}

namespace {
struct Push {
    uint32_t Ca, Cb, HW;
};

// Groups (pixel chunks, channels of y, samples): see the shaders.
void dispatch(gpu::Recording& rec, shaders::Name shader, std::initializer_list<gpu::BufferRange> buffers,
              const Shape& y, uint32_t ca) {
    auto& ctx = rec.context();
    const auto& p = ctx.pipeline(shader);
    const auto& limit = ctx.info().max_workgroup_count;
    if (y.c > limit[1] || y.n > limit[2])
        throw Error("internal: " + std::string(shader.text) + " of " + y.str() + " exceeds the device's group limits");
    uint32_t HW = u32(size_t(y.h) * y.w);
    u32(y.count());   // the shaders index with 32-bit integers
    // The shaders move four pixels an access where a plane is a whole number of vec4s.
    rec.dispatch(p, buffers, Push{ca, y.c - ca, HW}, {ctx.groups_for((HW + 3) / 4, p.local_size[0]), y.c, y.n});
}
} // namespace

void concat_forward(gpu::Recording& rec, const Tensor& a, const Tensor& b, const Tensor& y) {
    require_same_shape("concat_forward", concat_output_shape(a.shape(), b.shape()), y.shape());
    dispatch(rec, shaders::concat_forward, {a, b, y}, y.shape(), a.shape().c);
}

void concat_backward(gpu::Recording& rec, const Tensor& dy, const Tensor& da, const Tensor& db) {
    require_same_shape("concat_backward", concat_output_shape(da.shape(), db.shape()), dy.shape());
    if (da.buffer().handle() == db.buffer().handle())
        throw Error("internal: concat_backward: da and db must be different tensors");
    dispatch(rec, shaders::concat_backward, {dy, da, db}, dy.shape(), da.shape().c);
}

} // namespace vkcolor::layers
