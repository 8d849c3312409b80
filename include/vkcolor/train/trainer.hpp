#pragma once
// `vkcolor train`: the CSC321 training loop. Each epoch trains on every batch, evaluates the
// validation set, prints the assignment's line, and writes into the run folder:
//   metrics.jsonl          one JSON object per epoch
//   training_curve.png     train and validation loss per epoch
//   train_E.png, val_E.png sample grids (rows: grey input, quantised ground truth, prediction)
//   checkpoint.safetensors the model (PyTorch state_dict names), after every epoch
//   best.safetensors       the same checkpoint of the best epoch so far (the first with the lowest
//                          validation loss), rewritten whenever the validation loss improves
//   train_state.safetensors the optimizer's kind, settings and state, for --resume
// Every file is written to a temporary name and renamed, in the commit order of run_folder.hpp:
// a run killed at any moment resumes to the result of an uninterrupted one, and a diverging run
// (NaN or Inf loss) stops with the last good epoch's files. One run at a time holds the folder
// (a lock file), and a new run refuses a folder that holds any of another run's files.
//
// The optimizer is Adam (the assignment's), AdamW or SGD, with torch.optim's semantics. A resumed
// run must use the same optimizer and settings (the learning rate may change).
//
// Early stopping (early_stop = P > 0): after an epoch whose validation loss has not improved on
// the best so far for P consecutive epochs, training stops with a line saying so; best.safetensors
// then holds the best epoch. The best epoch and the count come from metrics.jsonl, so a resumed
// run stops where the uninterrupted one would have.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "vkcolor/data/dataset.hpp"
#include "vkcolor/data/palette.hpp"
#include "vkcolor/gpu/context.hpp"
#include "vkcolor/model/graph.hpp"
#include "vkcolor/optim/optimizer.hpp"

namespace vkcolor::train {

struct TrainOptions {
    model::ModelConfig model;
    bool colours_given = false;      // --colours was set explicitly
    std::string data = "synthetic";  // "synthetic", a CIFAR-10 folder or file, or an image folder
    std::string category = "horse";  // CIFAR-10 class name or index, or "all"
    std::string palette;             // palette file; empty: the assignment's 24 colours
    uint32_t epochs = 25;
    uint32_t batch = 100;
    optim::OptimizerKind optimizer = optim::OptimizerKind::Adam;
    float lr = 0.001f;                    // the assignment's (Adam); SGD usually wants 0.01-0.1
    std::optional<double> weight_decay;   // unset: PyTorch's default (AdamW 0.01, else 0)
    double momentum = 0.0;                // SGD only
    bool nesterov = false;                // SGD only; needs momentum > 0
    uint32_t early_stop = 0;              // patience in epochs; 0: train every epoch
    uint32_t seed = 0;
    std::filesystem::path out;
    bool resume = false;
    bool cpu = false;                // --backend cpu
    uint32_t synthetic_train = 5000;
    uint32_t synthetic_validation = 1000;
    uint32_t train_limit = 0;        // use only the first N training / validation images (0: all),
    uint32_t validation_limit = 0;   // taken before shuffling, for quick experiments
    bool progress = true;            // a progress bar on stderr when it is a terminal
    bool validation_only = false;    // eval: a CIFAR-10 folder may lack the training batches
};

struct EpochMetrics {
    uint32_t epoch = 0;
    double train_loss = 0, val_loss = 0;
    double val_accuracy = 0;         // percent of pixels; classification only
    // PSNR (dB) and SSIM of the predicted RGB on the validation set; absent in metrics.jsonl
    // files from before vkcolor measured them (a resumed old run).
    std::optional<double> val_psnr_db, val_ssim;
    double seconds = 0;              // wall time of the epoch (training and validation)
    double train_images_per_second = 0;
};

struct TrainSummary {
    std::vector<EpochMetrics> epochs;   // every epoch of the run, resumed ones included
    std::string data_description;
    uint32_t best_epoch = 0;            // the epoch best.safetensors holds (0: none)
    bool stopped_early = false;         // early stopping ended the run (or had, before --resume)
};

// The optimizer a run's options describe (the weight decay defaulted as PyTorch does). Throws
// vkcolor::Error with a one-line message on settings PyTorch rejects.
optim::OptimizerConfig optimizer_config(const TrainOptions& options);

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
