#include "vkcolor/train/samples.hpp"

#include <algorithm>

#include "vkcolor/io/image.hpp"
#include "vkcolor/train/backend.hpp"

namespace vkcolor::train {

HostTensor sample_grid(const data::Task& task, const data::Palette& palette, const data::Batch& batch,
                       const HostTensor& output, uint32_t zoom) {
    const Shape s = batch.rgb.shape;
    const size_t plane = size_t(s.h) * s.w, image = 3 * plane;
    HostTensor cells(Shape{3 * s.n, 3, s.h, s.w});
    HostTensor input = data::task_input_rgb(task, batch.input);
    HostTensor truth = task.target == data::TargetKind::classes ? data::quantised_rgb(batch.target, palette) : batch.rgb;
    HostTensor pred = data::task_output_rgb(task, palette, output, batch.input);
    for (uint32_t i = 0; i < s.n; ++i) {
        std::copy_n(input.data.begin() + i * image, image, cells.data.begin() + i * image);
        std::copy_n(truth.data.begin() + i * image, image, cells.data.begin() + (s.n + i) * image);
        std::copy_n(pred.data.begin() + i * image, image, cells.data.begin() + (2 * s.n + i) * image);
    }
    HostTensor grid = io::image_grid(cells, s.n);
    return io::resize_area(grid, grid.shape.w * zoom, grid.shape.h * zoom);
}

Samples::Samples(const data::Task& task, const data::Palette& palette, const data::TrainValidation& sets, uint32_t count)
    : task_(task), palette_(palette) {
    train_ = sets.train.batch(0, std::min(count, sets.train.size()));
    validation_ = sets.validation.batch(0, std::min(count, sets.validation.size()));
}

void Samples::write(Backend& backend, const std::filesystem::path& out, uint32_t epoch) const {
    for (const auto& [batch, name] : {std::pair{&train_, "train_"}, std::pair{&validation_, "val_"}}) {
        HostTensor output = backend.predict(batch->input);
        io::save_png(out / (name + std::to_string(epoch) + ".png"), sample_grid(task_, palette_, *batch, output));
    }
}

} // namespace vkcolor::train
