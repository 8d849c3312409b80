#pragma once
// Checkpoints: safetensors files with PyTorch state_dict names ("downconv1.0.weight",
// "downconv1.1.running_mean", ..., "downconv1.1.num_batches_tracked" as int64) and the model
// configuration and palette in the metadata, so PyTorch can load the weights and vkcolor can
// rebuild the model from the file alone. Written to a temporary file and renamed.
//
// Training state for --resume lives beside it (train_state.safetensors): the optimizer's kind and
// settings (but the learning rate) in the metadata ("optimizer": adam, adamw or sgd, and the
// settings that kind uses), its per-parameter buffers under torch.optim's names
// ("exp_avg.NAME" / "exp_avg_sq.NAME" for Adam and AdamW, "momentum_buffer.NAME" for SGD with
// momentum) and its GPU step state word for word ("adam_step_state", shared by Adam and AdamW, or
// "sgd_step_state"), so a resumed run continues bit for bit. Files written before the optimizer
// was recorded have no "optimizer" metadata; they hold Adam's state and load as such.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "vkcolor/data/palette.hpp"
#include "vkcolor/io/safetensors.hpp"
#include "vkcolor/model/graph.hpp"
#include "vkcolor/model/parameters.hpp"
#include "vkcolor/optim/optimizer.hpp"

namespace vkcolor::train {

struct Checkpoint {
    model::ModelConfig config;
    data::Palette palette;          // what class indices mean (classification models)
    model::StateDict state;
    uint32_t epochs_trained = 0;
};

void save_checkpoint(const std::filesystem::path& path, const Checkpoint& checkpoint);
// Throws vkcolor::Error naming the file if it is missing, corrupt, not a vkcolor checkpoint, or
// its tensors do not match the model its metadata describes.
Checkpoint load_checkpoint(const std::filesystem::path& path);
// The same for a file already read; `source` names it in errors.
Checkpoint decode_checkpoint(const io::SafeTensors& file, const std::filesystem::path& source);

// The model `vkcolor infer` uses without --checkpoint, embedded in the binary at build time from
// assets/ (assets/README.md says how it was made).
Checkpoint builtin_checkpoint();
extern const char* const k_builtin_model_file;   // its file name in assets/

struct TrainState {
    optim::OptimizerConfig optimizer;   // what made the state; the learning rate is not saved
    bool optimizer_recorded = true;     // false: an older file, Adam with settings unknown
    optim::OptimizerState optimizer_state;
    uint32_t epochs_done = 0;
};

void save_train_state(const std::filesystem::path& path, const TrainState& state);
// Throws vkcolor::Error naming the file if it is not a training state, names an unknown
// optimizer, or lacks a buffer of a trainable parameter of `graph`.
TrainState load_train_state(const std::filesystem::path& path, const model::Graph& graph);

} // namespace vkcolor::train
