#pragma once
// The same scheduler on the CPU reference: the graph walked with the plain C++ of every op
// (`--backend cpu`). It is the oracle a few GPU training steps are compared with, not a fast path.
#include <map>
#include <string>

#include "vkcolor/model/gpu_model.hpp"   // StepResult, PassMode
#include "vkcolor/model/graph.hpp"
#include "vkcolor/model/parameters.hpp"
#include "vkcolor/model/plan.hpp"
#include "vkcolor/optim/optimizer.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::model {

class CpuModel {
public:
    CpuModel(Graph graph, StateDict state, const optim::OptimizerConfig& optimizer);

    const Graph& graph() const { return graph_; }

    // One training step: forward in training mode, loss, backward, the optimizer.
    StepResult train_step(const HostTensor& input, const HostTensor& target);
    // Forward in evaluation mode and the loss; `output` receives the network's output if given.
    StepResult evaluate(const HostTensor& input, const HostTensor& target, HostTensor* output = nullptr);
    HostTensor infer(const HostTensor& input);

    const StateDict& state() const { return state_; }
    // The latest value of any tensor of the last step ("act:N", "grad:N", or a parameter name).
    const HostTensor& tensor(const std::string& name) const;
    const HostTensor& param_grad(const std::string& name) const { return grads_.at(name); }

    // The optimizer's state: steps taken (in the GPU step state's word 1, the only word the CPU
    // keeps; the others are 0, so that a training state file has one format) and the buffers of
    // every trainable parameter.
    optim::OptimizerState optimizer_state() const;
    void set_optimizer_state(const optim::OptimizerState& s);

private:
    void forward(const HostTensor& input, bool train);
    StepResult loss(const HostTensor& target, bool train);
    void backward();
    // The dropout step of the current training step: the GPU advances its counter (which starts
    // at batches_tracked) before each step's forward, so step k (from 0) uses batches_tracked + 1.
    uint32_t dropout_step() const { return static_cast<uint32_t>(state_.batches_tracked + 1); }

    Graph graph_;
    Plan plan_;
    StateDict state_;
    optim::OptimizerConfig optimizer_;
    uint32_t step_ = 0;
    std::map<std::string, HostTensor> t_;           // activations, gradients, saved statistics
    std::map<std::string, std::vector<uint32_t>> indices_;   // max-pool winners
    std::map<std::string, HostTensor> grads_;               // per trainable parameter
    std::map<std::string, std::vector<HostTensor>> optimizer_buffers_;   // in optim::buffer_names order
};

} // namespace vkcolor::model
