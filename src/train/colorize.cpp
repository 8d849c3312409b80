#include "vkcolor/train/colorize.hpp"

#include <algorithm>

#include "vkcolor/data/task.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/io/image.hpp"
#include "vkcolor/train/tiles.hpp"

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

namespace {

// The most input pixels one pass may take on a device whose storage buffers hold at most
// `buffer_bytes`: the graph's largest activation per input pixel (measured on a small input)
// decides, with a tenth to spare for the convolutions' padded copies.
uint64_t device_tile_pixels(const model::Graph& g, uint64_t buffer_bytes) {
    if (!receptive_radius(g)) return UINT64_MAX;   // a dense layer: one size only, no tiles
    const uint32_t probe = g.spatial_multiple() * 16;
    uint64_t most = 1;
    for (const auto& [name, shape] : g.infer_shapes({1, g.in_channels, probe, probe})) most = std::max<uint64_t>(most, shape.count());
    const double bytes_per_pixel = double(most) * sizeof(float) / (double(probe) * probe);
    return uint64_t(0.9 * double(buffer_bytes) / bytes_per_pixel);
}

} // namespace

Colorizer::Colorizer(const Checkpoint& checkpoint, gpu::Context* ctx)
    : graph_(model::build_preset(checkpoint.config)), task_(model::task_of(checkpoint.config)), palette_(checkpoint.palette) {
    optim::OptimizerConfig unused;   // inference never steps the optimizer
    backend_ = ctx ? make_gpu_backend(*ctx, graph_, checkpoint.state, unused) : make_cpu_backend(graph_, checkpoint.state, unused);
    max_tile_pixels_ = ctx ? device_tile_pixels(graph_, ctx->info().max_storage_buffer_range) : (1ull << 24);
}

HostTensor Colorizer::colorize(const HostTensor& image, const data::PhotoOutput& output) {
    const Shape& s = image.shape;
    if (s.n != 1 || (s.c != 1 && s.c != 3)) throw Error("internal: colorize takes one grey or RGB image");
    // Pad first (the pooling depth, and 4x4 blocks for super-resolution), then make the input.
    uint32_t m = graph_.spatial_multiple();
    if (task_.input == data::InputKind::low_res_rgb) m = std::max(m, 4u);
    const uint32_t h = (s.h + m - 1) / m * m, w = (s.w + m - 1) / m * m;
    HostTensor padded = pad_edges(image, h, w);
    HostTensor input;
    if (s.c == 1 && task_.input_channels() == 1) input = padded;   // a grey image is the grey input
    else input = data::task_input(task_, s.c == 3 ? padded : data::task_input_rgb({}, padded));
    HostTensor prediction;
    if (auto tiles = plan_tiles(graph_, h, w, m, max_tile_pixels_))
        prediction = predict_in_tiles([this](const HostTensor& x) { return backend_->predict(x); }, input, *tiles);
    else
        prediction = backend_->predict(input);
    HostTensor rgb = data::photo_output_rgb(task_, palette_, prediction, padded, input, output);
    // Crop the padding off again (it was added at the bottom and right).
    HostTensor cropped(Shape{1, 3, s.h, s.w});
    for (uint32_t c = 0; c < 3; ++c)
        for (uint32_t y = 0; y < s.h; ++y)
            for (uint32_t x = 0; x < s.w; ++x) cropped.at(0, c, y, x) = rgb.at(0, c, y, x);
    return cropped;
}

} // namespace vkcolor::train
