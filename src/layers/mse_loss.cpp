// MSE loss: the CPU reference and the GPU recording side by side.
#include "vkcolor/layers/mse_loss.hpp"

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/layers/common.hpp"
#include "vkcolor/layers/reduce.hpp"

namespace vkcolor::layers {

HostTensor cpu::mse_loss_forward(const HostTensor& pred, const HostTensor& target) {
    require_same_shape("mse_loss_forward", pred.shape, target.shape);
    double acc = 0;
    for (size_t i = 0; i < pred.data.size(); ++i) {
        double d = double(pred.data[i]) - target.data[i];
        acc += d * d;
    }
    HostTensor loss(Shape{1, 1, 1, 1});
    loss.data[0] = static_cast<float>(acc / double(pred.data.size()));
    return loss;
}

HostTensor cpu::mse_loss_backward(const HostTensor& pred, const HostTensor& target) {
    require_same_shape("mse_loss_backward", pred.shape, target.shape);
    HostTensor d(pred.shape);
    double scale = 2.0 / double(pred.data.size());
    for (size_t i = 0; i < pred.data.size(); ++i)
        d.data[i] = static_cast<float>(scale * (double(pred.data[i]) - target.data[i]));
    return d;
}

namespace {
struct BackwardPush {
    uint32_t n;
    float scale;
};
} // namespace

void mse_loss_forward(gpu::Recording& rec, const Tensor& pred, const Tensor& target, const Tensor& loss) {
    mean_pointwise_loss(rec, pred, target, loss, PointwiseLoss::Squared);
}

void mse_loss_backward(gpu::Recording& rec, const Tensor& pred, const Tensor& target, const Tensor& dpred) {
    require_same_shape("mse_loss_backward", pred.shape(), target.shape());
    require_same_shape("mse_loss_backward", pred.shape(), dpred.shape());
    uint32_t n = u32(pred.shape().count());
    rec.dispatch_1d(rec.context().pipeline(shaders::mse_loss_backward), {pred, target, dpred},
                    BackwardPush{n, static_cast<float>(2.0 / double(n))}, n);
}

} // namespace vkcolor::layers
