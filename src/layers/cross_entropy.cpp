// Per-pixel softmax cross-entropy: the CPU reference and the GPU recording side by side.
#include "vkcolor/layers/cross_entropy.hpp"

#include <algorithm>
#include <cmath>

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/layers/common.hpp"
#include "vkcolor/layers/reduce.hpp"

namespace vkcolor::layers {

namespace {
void require_target_shape(const char* op, const Shape& logits, const Shape& targets) {
    require_same_shape(op, Shape{logits.n, 1, logits.h, logits.w}, targets);
}
} // namespace

void cpu::validate_class_targets(const HostTensor& targets, uint32_t classes) {
    if (targets.shape.c != 1) throw Error("class targets must be N x 1 x H x W, not " + targets.shape.str());
    for (size_t p = 0; p < targets.data.size(); ++p) {
        float t = targets.data[p];
        if (!(t >= 0.0f && t < float(classes) && t == std::floor(t)))
            throw Error("class target " + std::to_string(t) + " at pixel " + std::to_string(p) +
                        " is not an integer in 0.." + std::to_string(classes - 1));
    }
}

cpu::CrossEntropyForward cpu::cross_entropy_forward(const HostTensor& logits, const HostTensor& targets) {
    const Shape& s = logits.shape;
    require_target_shape("cross_entropy_forward", s, targets.shape);
    validate_class_targets(targets, s.c);
    CrossEntropyForward out{HostTensor({1, 1, 1, 1}), HostTensor(targets.shape), HostTensor({1, 1, 1, 1})};
    double loss = 0;
    size_t correct = 0;
    for (uint32_t n = 0; n < s.n; ++n)
        for (uint32_t h = 0; h < s.h; ++h)
            for (uint32_t w = 0; w < s.w; ++w) {
                uint32_t best = 0;   // strict '>' keeps the lowest index among equal maxima
                for (uint32_t c = 1; c < s.c; ++c)
                    if (logits.at(n, c, h, w) > logits.at(n, best, h, w)) best = c;
                double mx = logits.at(n, best, h, w), sum = 0;
                for (uint32_t c = 0; c < s.c; ++c) sum += std::exp(double(logits.at(n, c, h, w)) - mx);
                auto t = static_cast<uint32_t>(targets.at(n, 0, h, w));
                loss += std::log(sum) + (mx - logits.at(n, t, h, w));
                out.argmax.at(n, 0, h, w) = float(best);
                correct += best == t;
            }
    out.loss.data[0] = static_cast<float>(loss / double(targets.data.size()));
    out.correct.data[0] = float(correct);
    return out;
}

HostTensor cpu::cross_entropy_backward(const HostTensor& logits, const HostTensor& targets) {
    const Shape& s = logits.shape;
    require_target_shape("cross_entropy_backward", s, targets.shape);
    validate_class_targets(targets, s.c);
    HostTensor d(s);
    double inv_pixels = 1.0 / double(targets.data.size());
    for (uint32_t n = 0; n < s.n; ++n)
        for (uint32_t h = 0; h < s.h; ++h)
            for (uint32_t w = 0; w < s.w; ++w) {
                double mx = logits.at(n, 0, h, w), sum = 0;
                for (uint32_t c = 1; c < s.c; ++c) mx = std::max(mx, double(logits.at(n, c, h, w)));
                for (uint32_t c = 0; c < s.c; ++c) sum += std::exp(double(logits.at(n, c, h, w)) - mx);
                auto t = static_cast<uint32_t>(targets.at(n, 0, h, w));
                for (uint32_t c = 0; c < s.c; ++c) {
                    double p = std::exp(double(logits.at(n, c, h, w)) - mx) / sum;
                    d.at(n, c, h, w) = static_cast<float>((p - (c == t ? 1.0 : 0.0)) * inv_pixels);
                }
            }
    return d;
}

namespace {
struct ForwardPush {
    uint32_t P, C, HW, S;
};
struct BackwardPush {
    uint32_t P, C, HW;
    float scale;
};
constexpr size_t k_max_exact_pixels = size_t(1) << 24;   // fp32 counts exactly up to here
} // namespace

void cross_entropy_forward(gpu::Recording& rec, const Tensor& logits, const Tensor& targets, const Tensor& loss,
                           const Tensor& argmax, const Tensor& correct) {
    const Shape& s = logits.shape();
    require_target_shape("cross_entropy_forward", s, targets.shape());
    require_same_shape("cross_entropy_forward", targets.shape(), argmax.shape());
    require_same_shape("cross_entropy_forward", Shape{1, 1, 1, 1}, loss.shape());
    require_same_shape("cross_entropy_forward", Shape{1, 1, 1, 1}, correct.shape());
    size_t pixels = targets.shape().count();
    if (pixels > k_max_exact_pixels)
        throw Error("internal: cross_entropy_forward over " + std::to_string(pixels) + " pixels cannot count exactly in fp32");
    uint32_t P = u32(pixels), HW = u32(size_t(s.h) * s.w);
    u32(s.count());   // every logit index must fit 32 bits
    // About 2048 logits per workgroup, at most 64 chunks: a function of the shape only.
    uint32_t S = std::min(channel_sum_chunks(s.count()), P);
    const auto& loss_partial = rec.scratch(size_t(S) * sizeof(float));
    const auto& correct_partial = rec.scratch(size_t(S) * sizeof(float));
    rec.dispatch(rec.context().pipeline(shaders::cross_entropy_forward), {logits, targets, argmax, loss_partial, correct_partial},
                 ForwardPush{P, s.c, HW, S}, {S, 1, 1});
    sum_partials(rec, loss_partial, 1, S, loss, static_cast<float>(1.0 / double(P)));
    sum_partials(rec, correct_partial, 1, S, correct);   // integers below 2^24: exact in any order
}

void cross_entropy_backward(gpu::Recording& rec, const Tensor& logits, const Tensor& targets, const Tensor& dlogits) {
    const Shape& s = logits.shape();
    require_target_shape("cross_entropy_backward", s, targets.shape());
    require_same_shape("cross_entropy_backward", s, dlogits.shape());
    uint32_t P = u32(targets.shape().count()), HW = u32(size_t(s.h) * s.w);
    u32(s.count());
    rec.dispatch_1d(rec.context().pipeline(shaders::cross_entropy_backward), {logits, targets, dlogits},
                    BackwardPush{P, s.c, HW, static_cast<float>(1.0 / double(P))}, P);
}

} // namespace vkcolor::layers
