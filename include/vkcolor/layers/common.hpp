#pragma once
// Small helpers every layer's GPU recording uses.
#include <string>

#include "vkcolor/gpu/error.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::layers {

// Throws an internal error naming the op when two tensors that must match in shape do not.
inline void require_same_shape(const char* op, const Shape& a, const Shape& b) {
    if (!(a == b))
        throw Error(std::string("internal: ") + op + ": shapes " + a.str() + " and " + b.str() + " differ");
}

inline uint32_t u32(size_t v) {
    if (v > 0xffffffffu) throw Error("internal: a tensor of " + std::to_string(v) + " elements is too large");
    return static_cast<uint32_t>(v);
}

} // namespace vkcolor::layers
