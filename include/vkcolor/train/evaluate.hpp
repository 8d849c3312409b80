#pragma once
// `vkcolor eval`: a checkpoint measured on a dataset's validation split.
#include <cstdio>

#include "vkcolor/data/dataset.hpp"
#include "vkcolor/train/backend.hpp"

namespace vkcolor::train {

struct EvalMetrics {
    double loss = 0;          // the model's loss, mean over batches (as the assignment)
    double accuracy = 0;      // percent of pixels whose colour class is right (classification)
    double mse = 0;           // mean squared error of the predicted RGB against the true RGB, [0,1] scale
    double psnr = 0;          // 10 log10(1 / mse), dB
    uint32_t images = 0;
};

EvalMetrics evaluate(Backend& backend, const data::Task& task, const data::Palette& palette,
                     const data::Dataset& data, uint32_t batch);

// Mean squared difference of two tensors of one shape, accumulated in double.
double mean_squared_error(const HostTensor& a, const HostTensor& b);
double psnr_from_mse(double mse);

} // namespace vkcolor::train
