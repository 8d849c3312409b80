#pragma once
// The optimizer of a training run, whichever it is: a small description (OptimizerConfig) that the
// trainer, both backends and the training state file share, the GPU optimizer it makes
// (optim::Optimizer over optim::Adam, which is AdamW too, or optim::Sgd) and the matching CPU
// reference step.
//
// Per-parameter buffers are named as torch.optim names them in its state: "exp_avg" and
// "exp_avg_sq" for Adam and AdamW, "momentum_buffer" for SGD with momentum, none for plain SGD.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "vkcolor/optim/adam.hpp"
#include "vkcolor/optim/sgd.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::optim {

enum class OptimizerKind { Adam, AdamW, Sgd };

// "adam", "adamw", "sgd": the names of --optimizer and of the training state metadata.
std::string optimizer_name(OptimizerKind kind);
// Throws vkcolor::Error for any other name.
OptimizerKind parse_optimizer_kind(const std::string& name);

// Everything that defines an optimizer; fields another kind does not use are ignored by it (and
// left at their defaults by the trainer). Betas, eps and dampening are PyTorch's defaults and not
// exposed on the command line, but they are part of the description so that the training state
// records them.
struct OptimizerConfig {
    OptimizerKind kind = OptimizerKind::Adam;
    float lr = 1e-3f;
    double weight_decay = 0.0;   // Adam, SGD: L2 added to the gradient; AdamW: decoupled
    double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;   // Adam, AdamW
    double momentum = 0.0, dampening = 0.0;          // SGD
    bool nesterov = false;                           // SGD
};

// The weight decay PyTorch uses when none is given: AdamW's 0.01 (adamw_defaults()), else 0.
double default_weight_decay(OptimizerKind kind);

// Adam's options for kind Adam, and for kind AdamW with decoupled_weight_decay set.
AdamOptions adam_options(const OptimizerConfig& c);
SgdOptions sgd_options(const OptimizerConfig& c);

// The settings the kind uses, without the learning rate: "adam", "adamw (weight decay 0.01)",
// "sgd (momentum 0.9, nesterov)". For the "Training ..." line and error messages.
std::string describe(const OptimizerConfig& c);
// Whether two descriptions make the same optimizer but for the learning rate (which a resumed run
// may change, as it may in PyTorch by editing param_groups).
bool same_except_lr(const OptimizerConfig& a, const OptimizerConfig& b);

// The per-parameter buffers the configured optimizer keeps, in a fixed order.
std::vector<std::string> buffer_names(const OptimizerConfig& c);
// The step state's size in 32-bit words: k_adam_state_bytes or k_sgd_state_bytes. Both layouts
// hold the learning rate in word 0 and the step count t in word 1.
size_t step_state_words(OptimizerKind kind);

// An optimizer's state on the host, for checkpoints that resume exactly: the GPU step state word
// for word, and buffer name -> parameter name -> tensor.
struct OptimizerState {
    std::vector<uint32_t> step_state;
    std::map<std::string, std::map<std::string, HostTensor>> buffers;
};

namespace cpu {
// One step of the configured optimizer's CPU reference on one tensor, in place. `buffers` are the
// tensor's buffers in buffer_names(c) order; `step` is t after the increment (1 on the first step).
void optimizer_update(const OptimizerConfig& c, HostTensor& param, const HostTensor& grad, std::vector<HostTensor>& buffers,
                      uint32_t step);
} // namespace cpu

// The GPU optimizer the configuration names, behind one interface (add, record once, replay) so
// that a model records whichever it was given.
class Optimizer {
public:
    // Throws vkcolor::Error on settings the optimizer rejects (see optim::Sgd).
    Optimizer(gpu::Context& ctx, const OptimizerConfig& config);

    void add(const Tensor& param, const Tensor& grad);
    void record(gpu::Recording& rec) const;
    void set_learning_rate(float lr);
    uint32_t step_count() const;

    std::vector<uint32_t> step_state() const;
    void set_step_state(const std::vector<uint32_t>& words);
    // Buffer `which` (an index into buffer_names(config())) of registered parameter `i`, and all
    // of that parameter's buffers at once, in buffer_names order.
    const Tensor& buffer(size_t i, size_t which) const;
    void set_buffers(size_t i, const std::vector<HostTensor>& buffers);

    size_t size() const;
    const OptimizerConfig& config() const { return config_; }

private:
    OptimizerConfig config_;
    std::variant<std::unique_ptr<Adam>, std::unique_ptr<Sgd>> impl_;   // Adam for kind Adam and AdamW
};

} // namespace vkcolor::optim
