#pragma once
// The host scheduler on the GPU: a graph bound to device storage, and recorded command buffers
// that each run a whole training step (upload copy, forward, loss, backward, optimizer) or a whole
// evaluation, replayed for every batch with no per-layer host round trips.
//
// Storage: parameters, their gradients and the optimizer's buffers belong to the model and are shared by
// every pass; a Pass owns the activations and gradients for one input shape and mode, so the
// last, smaller batch of an epoch or an image of another size gets its own pass.
//
// Double buffering: a pass has two slots, each with host-visible staging for its batch and its
// own recording. The host fills slot (k+1)%2 while the GPU runs step k from slot k%2, and reads a
// step's loss only when it next waits on that slot.
#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/model/graph.hpp"
#include "vkcolor/model/parameters.hpp"
#include "vkcolor/model/plan.hpp"
#include "vkcolor/optim/optimizer.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::model {

// What one step or evaluation batch produced.
struct StepResult {
    float loss = 0;
    float correct = 0;    // pixels whose argmax equals the target (classification only)
};

enum class PassMode { Train, Eval, Infer };

class GpuModel;

class GpuPass {
public:
    GpuPass(GpuModel& model, const Shape& input, PassMode mode, bool profile);
    ~GpuPass();
    GpuPass(const GpuPass&) = delete;
    GpuPass& operator=(const GpuPass&) = delete;

    const Shape& input_shape() const { return input_; }
    PassMode mode() const { return mode_; }
    bool profiled() const { return profile_; }

    // The staging memory of a slot, written by the host before submit(slot): the input batch
    // (input_shape) and the target (N x 3 x H x W RGB for MSE, N x 1 x H x W classes for CE).
    float* input(int slot);
    float* target(int slot);
    size_t target_count() const;

    void submit(int slot);
    // Waits for the slot's submission (if any) and returns what it produced.
    StepResult wait(int slot);
    bool in_flight(int slot) const { return in_flight_[slot]; }

    // After wait(): the network's output (logits or RGB) and, for classification, the argmax.
    // An Eval pass copies its output per slot, so output(slot) is that slot's batch even while
    // the other slot runs; other passes read the shared activation, so only when the other slot
    // is idle (predict, tests).
    HostTensor output(int slot);
    HostTensor argmax(int slot);
    // After wait(): GPU time per region (node forward and backward, loss, optimizer) of the
    // slot's last submission, if the pass was made with profile = true; there every dispatch is
    // also a region of its own (gpu::Recording::set_shader_regions), nested in its node's.
    std::vector<gpu::RegionTime> region_times(int slot) const;

    // A node's activation (for tests and visualisation).
    const Tensor& tensor(const std::string& name) const;

private:
    void allocate();
    void record(int slot);
    void record_forward(gpu::Recording& rec);
    void record_loss(gpu::Recording& rec);
    void record_backward(gpu::Recording& rec);
    const Tensor& t(const std::string& name) const { return tensor(name); }

    GpuModel& model_;
    Shape input_;
    PassMode mode_;
    bool profile_;
    std::map<std::string, Shape> shapes_;
    std::map<std::string, Tensor> tensors_;
    std::map<std::string, gpu::Buffer> indices_;   // max-pool winners
    struct Slot {
        gpu::Buffer input, target, result, output_copy, argmax_copy;
        std::unique_ptr<gpu::Recording> rec;
    };
    std::array<Slot, 2> slots_;
    std::array<bool, 2> in_flight_{false, false};
};

class GpuModel {
public:
    GpuModel(gpu::Context& ctx, Graph graph, const StateDict& state, const optim::OptimizerConfig& optimizer);
    ~GpuModel();

    gpu::Context& context() { return ctx_; }
    const gpu::Context& context() const { return ctx_; }
    const Graph& graph() const { return graph_; }
    const Plan& plan() const { return plan_; }

    // The pass for this input shape and mode, created on first use and kept.
    GpuPass& pass(const Shape& input, PassMode mode, bool profile = false);

    // Parameters and running statistics back on the host (waits for the GPU).
    StateDict state();
    // The optimizer's step state and per-parameter buffers, for checkpoints that resume exactly.
    optim::OptimizerState optimizer_state();
    void load_optimizer_state(const optim::OptimizerState& s);
    optim::Optimizer& optimizer() { return *optimizer_; }

    // Counts submitted training steps (PyTorch's num_batches_tracked).
    void count_training_step() { ++batches_tracked_; }

    const Tensor& param(const std::string& name) const;
    const Tensor& param_grad(const std::string& name) const;

private:
    friend class GpuPass;
    gpu::Context& ctx_;
    Graph graph_;
    Plan plan_;
    std::map<std::string, Tensor> params_, grads_;
    std::vector<std::string> trainable_;   // names, in graph order (the optimizer's slot order)
    std::unique_ptr<optim::Optimizer> optimizer_;
    int64_t batches_tracked_ = 0;
    // Dropout's step counter (one uint, advanced once per training step on the GPU), present
    // when the graph has dropout. It starts at batches_tracked, so a resumed run draws the masks
    // an uninterrupted one would.
    std::optional<gpu::Buffer> dropout_step_;
    std::vector<std::unique_ptr<GpuPass>> passes_;
};

} // namespace vkcolor::model
