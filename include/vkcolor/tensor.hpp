#pragma once
// Tensors: NCHW fp32. A Tensor lives on the GPU; a HostTensor is the same data in host memory
// (the CPU reference path computes on HostTensors).
#include <cstddef>
#include <cstdint>
#include <memory>
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

// Move-only, like the buffer it holds; view() is the one way to share that buffer.
class Tensor {
public:
    Tensor() = default;
    Tensor(gpu::Context& ctx, Shape shape);   // uninitialised contents
    Tensor(Tensor&&) noexcept = default;
    Tensor& operator=(Tensor&&) noexcept = default;
    Tensor(const Tensor&) = delete;
    Tensor& operator=(const Tensor&) = delete;

    // A zero-copy view of the same bytes under another shape with the same element count (NCHW
    // is contiguous, so a reshape is only a new shape). The view and this tensor share one
    // gpu::Buffer, which lives as long as either: writes through one are reads through the
    // other, and the recorder's barriers (keyed on the VkBuffer) see them as the same buffer.
    // Throws vkcolor::Error("internal: ...") when the counts differ.
    Tensor view(Shape shape) const;

    const Shape& shape() const { return shape_; }
    const gpu::Buffer& buffer() const;
    operator const gpu::Buffer&() const { return buffer(); }           // NOLINT: for copies
    operator gpu::BufferRange() const { return gpu::BufferRange(buffer()); }   // NOLINT: binds to dispatches

    void upload(gpu::Context& ctx, std::span<const float> values);   // size must match
    void upload(gpu::Context& ctx, const HostTensor& t);             // shape must match
    std::vector<float> download(gpu::Context& ctx) const;
    HostTensor download_host(gpu::Context& ctx) const;

private:
    Shape shape_;
    std::shared_ptr<gpu::Buffer> buffer_;   // null in a default-constructed or moved-from tensor
};

} // namespace vkcolor
