#pragma once
// Sample grids written after each epoch (train_E.png, val_E.png): a row of grey inputs, a row of
// ground truth (quantised to the palette for classification) and a row of predictions.
#include <filesystem>

#include "vkcolor/data/dataset.hpp"
#include "vkcolor/data/palette.hpp"
#include "vkcolor/model/graph.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::train {

class Backend;

// The colour image a network output stands for: the palette colour of each pixel's highest
// logit (ties to the lowest class) for classification, the clamped RGB output for regression.
HostTensor output_to_rgb(const model::Graph& graph, const data::Palette& palette, const HostTensor& output);

// 3 rows of `count` columns: grey input, ground truth, prediction; each cell zoomed `zoom` times.
HostTensor sample_grid(const model::Graph& graph, const data::Palette& palette, const data::Batch& batch,
                       const HostTensor& output, uint32_t zoom = 3);

class Samples {
public:
    Samples(const model::Graph& graph, const data::Palette& palette, const data::TrainValidation& sets, uint32_t count);
    void write(Backend& backend, const std::filesystem::path& out, uint32_t epoch) const;

private:
    const model::Graph& graph_;
    const data::Palette& palette_;
    data::Batch train_, validation_;
};

} // namespace vkcolor::train
