#pragma once
// Sample grids written after each epoch (train_E.png, val_E.png): a row of network inputs (grey,
// or the low-resolution image for super-resolution), a row of ground truth (quantised to the
// palette for classification) and a row of predictions (as RGB, data::task_output_rgb).
#include <filesystem>

#include "vkcolor/data/dataset.hpp"
#include "vkcolor/data/palette.hpp"
#include "vkcolor/model/graph.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::train {

class Backend;

// 3 rows of `count` columns: input, ground truth, prediction; each cell zoomed `zoom` times.
HostTensor sample_grid(const data::Task& task, const data::Palette& palette, const data::Batch& batch,
                       const HostTensor& output, uint32_t zoom = 3);

class Samples {
public:
    Samples(const data::Task& task, const data::Palette& palette, const data::TrainValidation& sets, uint32_t count);
    void write(Backend& backend, const std::filesystem::path& out, uint32_t epoch) const;

private:
    data::Task task_;
    const data::Palette& palette_;
    data::Batch train_, validation_;
};

} // namespace vkcolor::train
