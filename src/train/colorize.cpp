#include "vkcolor/train/colorize.hpp"

#include "vkcolor/data/dataset.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/io/image.hpp"
#include "vkcolor/train/samples.hpp"

namespace vkcolor::train {

HostTensor pad_edges(const HostTensor& t, uint32_t height, uint32_t width) {
    const Shape& s = t.shape;
    HostTensor out(Shape{s.n, s.c, height, width});
    for (uint32_t n = 0; n < s.n; ++n)
        for (uint32_t c = 0; c < s.c; ++c)
            for (uint32_t y = 0; y < height; ++y)
                for (uint32_t x = 0; x < width; ++x)
                    out.at(n, c, y, x) = t.at(n, c, std::min(y, s.h - 1), std::min(x, s.w - 1));
    return out;
}

Colorizer::Colorizer(const Checkpoint& checkpoint, gpu::Context* ctx)
    : graph_(model::build_preset(checkpoint.config)), palette_(checkpoint.palette) {
    optim::OptimizerConfig unused;   // inference never steps the optimizer
    backend_ = ctx ? make_gpu_backend(*ctx, graph_, checkpoint.state, unused) : make_cpu_backend(graph_, checkpoint.state, unused);
}

HostTensor Colorizer::colorize(const HostTensor& image) {
    const Shape& s = image.shape;
    if (s.n != 1 || (s.c != 1 && s.c != 3)) throw Error("internal: colorize takes one grey or RGB image");
    HostTensor grey = s.c == 3 ? data::to_grey(image) : image;
    const uint32_t m = graph_.spatial_multiple();
    const uint32_t h = (s.h + m - 1) / m * m, w = (s.w + m - 1) / m * m;
    HostTensor out = backend_->predict(pad_edges(grey, h, w));
    HostTensor rgb = output_to_rgb(graph_, palette_, out);
    // Crop the padding off again (it was added at the bottom and right).
    HostTensor cropped(Shape{1, 3, s.h, s.w});
    for (uint32_t c = 0; c < 3; ++c)
        for (uint32_t y = 0; y < s.h; ++y)
            for (uint32_t x = 0; x < s.w; ++x) cropped.at(0, c, y, x) = rgb.at(0, c, y, x);
    return cropped;
}

} // namespace vkcolor::train
