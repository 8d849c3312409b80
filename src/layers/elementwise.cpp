// Element-wise arithmetic: CPU reference and GPU recording.
#include "vkcolor/layers/elementwise.hpp"

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/layers/common.hpp"

namespace vkcolor::layers {

HostTensor cpu::add(const HostTensor& a, const HostTensor& b) {
    require_same_shape("add", a.shape, b.shape);
    HostTensor y(a.shape);
    for (size_t i = 0; i < a.data.size(); ++i) y.data[i] = a.data[i] + b.data[i];
    return y;
}

void add(gpu::Recording& rec, const Tensor& a, const Tensor& b, const Tensor& y) {
    require_same_shape("add", a.shape(), b.shape());
    require_same_shape("add", a.shape(), y.shape());
    struct Push { uint32_t n; };
    uint32_t n = u32(a.shape().count());
    rec.dispatch_1d(rec.context().pipeline("elementwise_add"), {a, b, y}, Push{n}, n);
}

} // namespace vkcolor::layers
