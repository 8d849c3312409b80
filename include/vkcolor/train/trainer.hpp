#pragma once
// `vkcolor train`: the CSC321 training loop. Each epoch trains on every batch, evaluates the
// validation set, prints the assignment's line, and writes into the run folder:
//   metrics.jsonl          one JSON object per epoch
//   training_curve.png     train and validation loss per epoch
//   train_E.png, val_E.png sample grids (rows: grey input, quantised ground truth, prediction)
//   checkpoint.safetensors the model (PyTorch state_dict names), after every epoch
//   train_state.safetensors Adam's state, for --resume
// Every file is written to a temporary name and renamed: an interrupted run never leaves a
// half-written file, and a diverging run (NaN or Inf loss) stops with the last good epoch's files.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "vkcolor/data/dataset.hpp"
#include "vkcolor/data/palette.hpp"
#include "vkcolor/gpu/context.hpp"
#include "vkcolor/model/graph.hpp"

namespace vkcolor::train {

struct TrainOptions {
    model::ModelConfig model;
    bool colours_given = false;      // --colours was set explicitly
    std::string data = "synthetic";  // "synthetic", a CIFAR-10 folder or file, or an image folder
    std::string category = "horse";  // CIFAR-10 class name or index, or "all"
    std::string palette;             // palette file; empty: the assignment's 24 colours
    uint32_t epochs = 25;
    uint32_t batch = 100;
    float lr = 0.001f;
    double weight_decay = 0.0;
    uint32_t seed = 0;
    std::filesystem::path out;
    bool resume = false;
    bool cpu = false;                // --backend cpu
    uint32_t synthetic_train = 5000;
    uint32_t synthetic_validation = 1000;
    uint32_t train_limit = 0;        // use only the first N training / validation images (0: all),
    uint32_t validation_limit = 0;   // taken before shuffling, for quick experiments
    bool progress = true;            // a progress bar on stderr when it is a terminal
};

struct EpochMetrics {
    uint32_t epoch = 0;
    double train_loss = 0, val_loss = 0;
    double val_accuracy = 0;         // percent of pixels; classification only
    double seconds = 0;              // wall time of the epoch (training and validation)
    double train_images_per_second = 0;
};

struct TrainSummary {
    std::vector<EpochMetrics> epochs;   // every epoch of the run, resumed ones included
    std::string data_description;
};

// Throws vkcolor::Error on bad options or data, and when the loss stops being finite (after
// keeping the last good epoch's files). `ctx` is unused with options.cpu.
TrainSummary train(const TrainOptions& options, gpu::Context* ctx, std::FILE* log);

// The images a run trains and validates on (pixel/256 RGB), before any preprocessing, with the
// --train-images / --val-images limits applied; `description` tells the user what was loaded.
struct TrainingImages {
    HostTensor train, validation;
    std::string description;
};
TrainingImages load_training_images(const TrainOptions& options);

// The data a run trains on, loaded and preprocessed as the assignment does (shuffled once with
// the seed). `description` tells the user what was loaded.
data::TrainValidation load_training_data(const TrainOptions& options, const data::Palette& palette,
                                         std::string& description);

} // namespace vkcolor::train
