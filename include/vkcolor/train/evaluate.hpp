#pragma once
#include <optional>
// `vkcolor eval`: a checkpoint measured on a dataset's validation split.
#include <cstdio>
#include <vector>

#include "vkcolor/data/dataset.hpp"
#include "vkcolor/metrics/image_quality.hpp"
#include "vkcolor/train/backend.hpp"

namespace vkcolor::train {

struct EvalMetrics {
    double loss = 0;          // the model's loss, mean over batches (as the assignment)
    double accuracy = 0;      // percent of pixels whose colour class is right (classification)
    double mse = 0;           // mean squared error of the predicted RGB against the true RGB, [0,1] scale
    double psnr = 0;          // 10 log10(1 / mse), dB
    double ssim = 0;          // mean SSIM of the predicted RGB (metrics/image_quality.hpp)
    // The same three for what `vkcolor infer` writes by default: the image's own luminance with
    // the predicted colour (data/photo_output.hpp). Only for grey-in colourizers (has_photo).
    bool has_photo = false;
    double photo_mse = 0, photo_psnr = 0, photo_ssim = 0;
    uint32_t images = 0;
};

EvalMetrics evaluate(Backend& backend, const data::Task& task, const data::Palette& palette,
                     const data::Dataset& data, uint32_t batch);

// One evaluation pass over `data`: the backend's per-batch results, and the quality of the
// colour images the outputs stand for (data::task_output_rgb) against the true ones. Shared by
// `vkcolor eval` and the validation of every training epoch, so both report the same numbers.
struct Validation {
    std::vector<model::StepResult> batches;
    metrics::ImageQuality quality;
    std::optional<metrics::ImageQuality> photo_quality;   // of infer's default output, when it keeps luminance
};
Validation validate(Backend& backend, const data::Task& task, const data::Palette& palette, const data::Dataset& data,
                    uint32_t batch);

} // namespace vkcolor::train
