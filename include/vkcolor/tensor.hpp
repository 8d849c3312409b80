#pragma once
// Tensors: NCHW fp32. A Tensor lives on the GPU; a HostTensor is the same data in host memory
// (the CPU reference path computes on HostTensors).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/gpu/memory.hpp"

namespace vkcolor {

struct Shape {
    uint32_t n = 1, c = 1, h = 1, w = 1;
    size_t count() const { return size_t(n) * c * h * w; }
    size_t bytes() const { return count() * sizeof(float); }
    std::string str() const;   // "2x3x5x7"
    bool operator==(const Shape&) const = default;
};

struct HostTensor {
    Shape shape;
    std::vector<float> data;

    HostTensor() = default;
    explicit HostTensor(Shape s, float value = 0.0f) : shape(s), data(s.count(), value) {}
    float& at(uint32_t n, uint32_t c, uint32_t h, uint32_t w) {
        return data[((size_t(n) * shape.c + c) * shape.h + h) * shape.w + w];
    }
    float at(uint32_t n, uint32_t c, uint32_t h, uint32_t w) const {
        return data[((size_t(n) * shape.c + c) * shape.h + h) * shape.w + w];
    }
};

class Tensor {
public:
    Tensor() = default;
    Tensor(gpu::Context& ctx, Shape shape);   // uninitialised contents

    const Shape& shape() const { return shape_; }
    const gpu::Buffer& buffer() const { return buffer_; }
    operator const gpu::Buffer&() const { return buffer_; }           // NOLINT: for copies
    operator gpu::BufferRange() const { return gpu::BufferRange(buffer_); }   // NOLINT: binds to dispatches

    void upload(gpu::Context& ctx, std::span<const float> values);   // size must match
    void upload(gpu::Context& ctx, const HostTensor& t);             // shape must match
    std::vector<float> download(gpu::Context& ctx) const;
    HostTensor download_host(gpu::Context& ctx) const;

private:
    Shape shape_;
    gpu::Buffer buffer_;
};

} // namespace vkcolor
