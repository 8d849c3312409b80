#include "vkcolor/tensor.hpp"

#include "vkcolor/gpu/error.hpp"

namespace vkcolor {

std::string Shape::str() const {
    return std::to_string(n) + "x" + std::to_string(c) + "x" + std::to_string(h) + "x" + std::to_string(w);
}

Tensor::Tensor(gpu::Context& ctx, Shape shape)
    : shape_(shape), buffer_(std::make_shared<gpu::Buffer>(ctx.create_buffer(shape.bytes()))) {}

Tensor Tensor::view(Shape shape) const {
    if (shape.count() != shape_.count())
        throw Error("internal: a view of shape " + shape.str() + " of a tensor of shape " + shape_.str() +
                    " has a different element count");
    Tensor t;
    t.shape_ = shape;
    t.buffer_ = buffer_;
    return t;
}

const gpu::Buffer& Tensor::buffer() const {
    static const gpu::Buffer none;   // what a tensor without storage binds (an invalid buffer)
    return buffer_ ? *buffer_ : none;
}

void Tensor::upload(gpu::Context& ctx, std::span<const float> values) {
    if (values.size() != shape_.count())
        throw Error("internal: uploading " + std::to_string(values.size()) + " values into a tensor of shape " +
                    shape_.str());
    ctx.upload(buffer(), values.data(), values.size_bytes());
}

void Tensor::upload(gpu::Context& ctx, const HostTensor& t) {
    if (!(t.shape == shape_))
        throw Error("internal: uploading a " + t.shape.str() + " tensor into one of shape " + shape_.str());
    upload(ctx, t.data);
}

std::vector<float> Tensor::download(gpu::Context& ctx) const {
    std::vector<float> out(shape_.count());
    ctx.download(buffer(), out.data(), out.size() * sizeof(float));
    return out;
}

HostTensor Tensor::download_host(gpu::Context& ctx) const {
    HostTensor t;
    t.shape = shape_;
    t.data = download(ctx);
    return t;
}

} // namespace vkcolor
