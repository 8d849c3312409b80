#pragma once
// What the training loop needs from a backend, so one loop drives the GPU scheduler and the CPU
// reference alike.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "vkcolor/data/dataset.hpp"
#include "vkcolor/gpu/context.hpp"
#include "vkcolor/model/gpu_model.hpp"
#include "vkcolor/model/parameters.hpp"
#include "vkcolor/optim/optimizer.hpp"
#include "vkcolor/train/checkpoint.hpp"

namespace vkcolor::train {

// Called once per batch as its result becomes known: (batch index, result).
using StepCallback = std::function<void(uint32_t, const model::StepResult&)>;
// Called once per evaluated batch, in batch order, with the network's output for it
// (batch index, N x C x H x W logits or RGB), so metrics of the prediction need no second pass.
using OutputCallback = std::function<void(uint32_t, const HostTensor&)>;

class Backend {
public:
    virtual ~Backend() = default;
    // One pass over `data` in batches of `batch` (the last may be smaller), training.
    virtual std::vector<model::StepResult> train_epoch(const data::Dataset& data, uint32_t batch, const StepCallback& cb) = 0;
    // One pass over `data` in evaluation mode (running BN statistics), no updates; `on_output`,
    // if given, receives each batch's output.
    virtual std::vector<model::StepResult> evaluate(const data::Dataset& data, uint32_t batch,
                                                    const OutputCallback& on_output = nullptr) = 0;
    // The network's output for a batch of network inputs (N x in_channels x H x W), in evaluation mode.
    virtual HostTensor predict(const HostTensor& input) = 0;
    // The activations of the named graph nodes for `input`, in evaluation mode, in the order asked
    // (for looking inside a model; one forward pass).
    virtual std::vector<HostTensor> activations(const HostTensor& input, const std::vector<std::string>& nodes) = 0;
    virtual model::StateDict state() = 0;
    // The optimizer's description and state (TrainState::epochs_done is the caller's to set).
    virtual TrainState train_state() = 0;
    // Loads a state made by the same optimizer (the caller checks that it is).
    virtual void load_train_state(const TrainState& s) = 0;
    virtual std::string name() const = 0;
};

// The GPU scheduler: double-buffered batches, one replayed recording per step.
// Steps with the optimizer `optimizer` describes (evaluation and prediction never use it).
std::unique_ptr<Backend> make_gpu_backend(gpu::Context& ctx, const model::Graph& graph, const model::StateDict& state,
                                          const optim::OptimizerConfig& optimizer);
// The CPU reference, with the matching CPU reference of the optimizer.
std::unique_ptr<Backend> make_cpu_backend(const model::Graph& graph, const model::StateDict& state,
                                          const optim::OptimizerConfig& optimizer);

} // namespace vkcolor::train
