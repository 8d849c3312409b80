#include "vkcolor/tensor.hpp"

#include "vkcolor/gpu/error.hpp"

namespace vkcolor {

std::string Shape::str() const {
    return std::to_string(n) + "x" + std::to_string(c) + "x" + std::to_string(h) + "x" + std::to_string(w);
}

Tensor::Tensor(gpu::Context& ctx, Shape shape) : shape_(shape), buffer_(ctx.create_buffer(shape.bytes())) {}

void Tensor::upload(gpu::Context& ctx, std::span<const float> values) {
    if (values.size() != shape_.count())
        throw Error("internal: uploading " + std::to_string(values.size()) + " values into a tensor of shape " +
                    shape_.str());
    ctx.upload(buffer_, values.data(), values.size_bytes());
}

void Tensor::upload(gpu::Context& ctx, const HostTensor& t) {
    if (!(t.shape == shape_))
        throw Error("internal: uploading a " + t.shape.str() + " tensor into one of shape " + shape_.str());
    upload(ctx, t.data);
}

std::vector<float> Tensor::download(gpu::Context& ctx) const {
    std::vector<float> out(shape_.count());
    ctx.download(buffer_, out.data(), out.size() * sizeof(float));
    return out;
}

HostTensor Tensor::download_host(gpu::Context& ctx) const {
    HostTensor t;
    t.shape = shape_;
    t.data = download(ctx);
    return t;
}

} // namespace vkcolor
