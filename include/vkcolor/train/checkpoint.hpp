#pragma once
// Checkpoints: safetensors files with PyTorch state_dict names ("downconv1.0.weight",
// "downconv1.1.running_mean", ..., "downconv1.1.num_batches_tracked" as int64) and the model
// configuration and palette in the metadata, so PyTorch can load the weights and vkcolor can
// rebuild the model from the file alone. Written to a temporary file and renamed.
//
// Training state for --resume lives beside it (train_state.safetensors): Adam's moments under
// "exp_avg.NAME" / "exp_avg_sq.NAME" and its GPU step state word for word, so a resumed run
// continues bit for bit.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "vkcolor/data/palette.hpp"
#include "vkcolor/model/graph.hpp"
#include "vkcolor/model/parameters.hpp"

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

struct TrainState {
    std::vector<uint32_t> adam_step_state;
    std::map<std::string, HostTensor> exp_avg, exp_avg_sq;
    uint32_t epochs_done = 0;
};

void save_train_state(const std::filesystem::path& path, const TrainState& state);
TrainState load_train_state(const std::filesystem::path& path, const model::Graph& graph);

} // namespace vkcolor::train
