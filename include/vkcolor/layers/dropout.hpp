#pragma once
// Dropout(p) with seeded, reproducible masks.
//   training: y = x * m / (1 - p)    dx = dy * m / (1 - p)    m = 0 or 1, P(m = 0) = p
//   eval:     y = x                  dx = dy
// p = 1 gives y = x * 0 (PyTorch multiplies by zero rather than writing zeros).
//
// The mask is a function of (seed, step, element index) through a counter-based integer hash
// (dropout_hash below): the CPU reference and the shader compute the same 32-bit integers, so
// their masks are identical, bit for bit. m = 1 where hash >= dropout_threshold(p) = round(p * 2^32),
// so P(m = 0) = p to within 2^-33. PyTorch's own masks come from its RNG and cannot be matched;
// everything else (the scaling, the gradient) follows F.dropout.
//
// The seed is fixed per layer (a push constant: two dropout layers of one shape get different
// masks from different seeds); the step is read from a small GPU buffer, the step counter
// (k_dropout_step_bytes: one uint), so a recording replayed every training step gets a new mask
// each time: record dropout_next_step once per step before the forwards, and the forward and the
// backward of that step read the same step. The host writes the counter to start or resume.
#include <cstdint>

#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::layers {

struct DropoutParams {
    float p = 0.5f;       // probability of dropping an element, 0 <= p <= 1
    uint32_t seed = 0;    // per layer
    bool training = true; // eval: identity
};

constexpr size_t k_dropout_step_bytes = sizeof(uint32_t);

// MurmurHash3's 32-bit finaliser: a bijection of uint32 with good avalanche.
constexpr uint32_t dropout_mix(uint32_t h) {
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}
// The mask hash; shaders/dropout_apply_mask.comp and tools/golden/ops/dropout.py compute the same.
// A per-(seed, step) key, then two rounds over the index (the second keyed by addition, so masks of
// two steps are not XOR-permutations of each other).
constexpr uint32_t dropout_hash(uint32_t seed, uint32_t step, uint32_t index) {
    uint32_t key = dropout_mix(dropout_mix(seed ^ 0x9e3779b9u) ^ step);
    return dropout_mix(dropout_mix(index ^ key) + key);
}
// Elements whose hash is below the threshold are dropped: round(p * 2^32), saturated (p = 1 then
// keeps only hash 0xffffffff, which the scale 0 zeroes too).
uint32_t dropout_threshold(float p);
// 1 / (1 - p) rounded to float once; 0 for p = 1.
float dropout_scale(float p);

namespace cpu {
// The mask times 1 / (1 - p): 0 or dropout_scale(p) per element (ones in eval).
HostTensor dropout_mask(Shape shape, const DropoutParams& params, uint32_t step);
HostTensor dropout_forward(const HostTensor& x, const DropoutParams& params, uint32_t step);
HostTensor dropout_backward(const HostTensor& dy, const DropoutParams& params, uint32_t step);
} // namespace cpu

// step += 1 on the GPU (one invocation).
void dropout_next_step(gpu::Recording& rec, const gpu::Buffer& step);
// The step is read from `step` when the recording runs. In eval both are copies.
void dropout_forward(gpu::Recording& rec, const gpu::Buffer& step, const Tensor& x, const Tensor& y,
                     const DropoutParams& params);
void dropout_backward(gpu::Recording& rec, const gpu::Buffer& step, const Tensor& dy, const Tensor& dx,
                      const DropoutParams& params);

} // namespace vkcolor::layers
