// L1 loss: the CPU reference and the GPU recording side by side.
#include "vkcolor/layers/l1_loss.hpp"

#include <cmath>

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/layers/common.hpp"
#include "vkcolor/layers/reduce.hpp"

namespace vkcolor::layers {

HostTensor cpu::l1_loss_forward(const HostTensor& pred, const HostTensor& target) {
    require_same_shape("l1_loss_forward", pred.shape, target.shape);
    double acc = 0;
    for (size_t i = 0; i < pred.data.size(); ++i) acc += std::fabs(double(pred.data[i]) - target.data[i]);
    HostTensor loss(Shape{1, 1, 1, 1});
    loss.data[0] = static_cast<float>(acc / double(pred.data.size()));
    return loss;
}

HostTensor cpu::l1_loss_backward(const HostTensor& pred, const HostTensor& target) {
    require_same_shape("l1_loss_backward", pred.shape, target.shape);
    HostTensor d(pred.shape);
    float scale = static_cast<float>(1.0 / double(pred.data.size()));
    for (size_t i = 0; i < pred.data.size(); ++i) {
        float p = pred.data[i], t = target.data[i];
        d.data[i] = p > t ? scale : p < t ? -scale : 0.0f;
    }
    return d;
}

namespace {
struct BackwardPush {
    uint32_t n;
    float scale;
};
} // namespace

void l1_loss_forward(gpu::Recording& rec, const Tensor& pred, const Tensor& target, const Tensor& loss) {
    mean_pointwise_loss(rec, pred, target, loss, PointwiseLoss::Absolute);
}

void l1_loss_backward(gpu::Recording& rec, const Tensor& pred, const Tensor& target, const Tensor& dpred) {
    require_same_shape("l1_loss_backward", pred.shape(), target.shape());
    require_same_shape("l1_loss_backward", pred.shape(), dpred.shape());
    uint32_t n = u32(pred.shape().count());
    rec.dispatch_1d(rec.context().pipeline(shaders::l1_loss_backward), {pred, target, dpred},
                    BackwardPush{n, static_cast<float>(1.0 / double(n))}, n);
}

} // namespace vkcolor::layers
