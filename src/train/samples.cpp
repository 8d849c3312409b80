#include "vkcolor/train/samples.hpp"

#include <algorithm>

#include "vkcolor/io/image.hpp"
#include "vkcolor/train/backend.hpp"

namespace vkcolor::train {

HostTensor output_to_rgb(const model::Graph& graph, const data::Palette& palette, const HostTensor& out) {
    const Shape& s = out.shape;
    if (graph.loss == model::LossKind::Mse) {
        HostTensor rgb = out;
        for (auto& v : rgb.data) v = std::clamp(v, 0.0f, 255.0f / 256.0f);
        return rgb;
    }
    HostTensor classes(Shape{s.n, 1, s.h, s.w});
    for (uint32_t n = 0; n < s.n; ++n)
        for (uint32_t y = 0; y < s.h; ++y)
            for (uint32_t x = 0; x < s.w; ++x) {
                uint32_t best = 0;
                for (uint32_t c = 1; c < s.c; ++c)
                    if (out.at(n, c, y, x) > out.at(n, best, y, x)) best = c;
                classes.at(n, 0, y, x) = static_cast<float>(best);
            }
    return data::quantised_rgb(classes, palette);
}

HostTensor sample_grid(const model::Graph& graph, const data::Palette& palette, const data::Batch& batch,
                       const HostTensor& output, uint32_t zoom) {
    const Shape s = batch.rgb.shape;
    const size_t plane = size_t(s.h) * s.w, image = 3 * plane;
    HostTensor cells(Shape{3 * s.n, 3, s.h, s.w});
    HostTensor truth = graph.loss == model::LossKind::Mse ? batch.rgb : data::quantised_rgb(batch.classes, palette);
    HostTensor pred = output_to_rgb(graph, palette, output);
    for (uint32_t i = 0; i < s.n; ++i) {
        for (int c = 0; c < 3; ++c)   // grey replicated into R, G and B
            std::copy_n(batch.grey.data.begin() + i * plane, plane, cells.data.begin() + i * image + c * plane);
        std::copy_n(truth.data.begin() + i * image, image, cells.data.begin() + (s.n + i) * image);
        std::copy_n(pred.data.begin() + i * image, image, cells.data.begin() + (2 * s.n + i) * image);
    }
    HostTensor grid = io::image_grid(cells, s.n);
    return io::resize_area(grid, grid.shape.w * zoom, grid.shape.h * zoom);
}

Samples::Samples(const model::Graph& graph, const data::Palette& palette, const data::TrainValidation& sets, uint32_t count)
    : graph_(graph), palette_(palette) {
    train_ = sets.train.batch(0, std::min(count, sets.train.size()));
    validation_ = sets.validation.batch(0, std::min(count, sets.validation.size()));
}

void Samples::write(Backend& backend, const std::filesystem::path& out, uint32_t epoch) const {
    for (const auto& [batch, name] : {std::pair{&train_, "train_"}, std::pair{&validation_, "val_"}}) {
        HostTensor output = backend.predict(batch->grey);
        io::save_png(out / (name + std::to_string(epoch) + ".png"), sample_grid(graph_, palette_, *batch, output));
    }
}

} // namespace vkcolor::train
