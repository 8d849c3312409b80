#pragma once
// Per-pixel softmax cross-entropy, as nn.CrossEntropyLoss() (reduction "mean") on logits
// N x C x H x W and class targets N x H x W, averaged over the P = N*H*W pixels:
//   loss    = sum over pixels of (logsumexp_c x[c] - x[target]) / P        (Shape{1, 1, 1, 1})
//   dLogits = (softmax(x) - onehot(target)) / P                             (the gradient of loss)
//   argmax  = the class of the largest logit per pixel                      (Shape{N, 1, H, W})
//   correct = the number of pixels whose argmax is the target               (Shape{1, 1, 1, 1})
// Targets are a float tensor Shape{N, 1, H, W} holding exact class indices 0..C-1.
//
// Choices, written down:
// - Numerically stable: the per-pixel maximum is subtracted before exp; the pixel's loss is
//   log(sum exp(x - max)) + (max - x[target]), which is exactly 0 for C = 1.
// - Ties in argmax go to the lowest class index, as torch.argmax does (documented since 1.7 and
//   checked by the golden vectors, tests/golden/cross_entropy.json).
// - Invalid targets (not an integer in 0..C-1, or NaN): PyTorch throws; a shader cannot. The GPU
//   reads nothing out of bounds, makes that pixel's loss term and its gradient row NaN (so the
//   loss is NaN, visibly), and never counts the pixel as correct. Validate targets on the host
//   where they are produced (cpu::validate_class_targets); the CPU reference does and throws.
// - correct is a float holding an exact integer: the GPU path refuses more than 2^24 pixels,
//   beyond which fp32 would no longer count exactly.
#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::layers {

namespace cpu {
// Throws vkcolor::Error naming the first pixel whose target is not an integer in 0..classes-1,
// or if the shape is not N x 1 x H x W.
void validate_class_targets(const HostTensor& targets, uint32_t classes);

struct CrossEntropyForward {
    HostTensor loss, argmax, correct;
};
CrossEntropyForward cross_entropy_forward(const HostTensor& logits, const HostTensor& targets);
HostTensor cross_entropy_backward(const HostTensor& logits, const HostTensor& targets);
} // namespace cpu

// Deterministic: per-workgroup partial sums in a fixed order, then sum_partials.
void cross_entropy_forward(gpu::Recording& rec, const Tensor& logits, const Tensor& targets, const Tensor& loss,
                           const Tensor& argmax, const Tensor& correct);
// Recomputes the per-pixel max and sum of exponentials (cheaper than storing them for C this small).
void cross_entropy_backward(gpu::Recording& rec, const Tensor& logits, const Tensor& targets, const Tensor& dlogits);

} // namespace vkcolor::layers
