#pragma once
// A model's state on the host: every trainable tensor and buffer of the graph under its PyTorch
// state_dict name. Initialisation, checkpoints and the CPU backend all use it.
#include <cstdint>
#include <map>
#include <string>

#include "vkcolor/model/graph.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::model {

struct StateDict {
    std::map<std::string, HostTensor> tensors;   // every F32 entry of parameters()
    // PyTorch keeps num_batches_tracked per BatchNorm; every BN of a graph counts the same
    // training steps, so one counter serves them all.
    int64_t batches_tracked = 0;

    HostTensor& at(const std::string& name);
    const HostTensor& at(const std::string& name) const;
};

// The host shape of a parameter: conv weights keep [Cout, Cin, k, k]; vectors of length C are
// 1 x C x 1 x 1 (the per-channel convention of the layers).
Shape host_shape(const ParamSpec& p);

// PyTorch's default initialisation: conv weights and biases U(-1/sqrt(fan_in), 1/sqrt(fan_in))
// with fan_in = Cin*k*k; BN gamma 1, beta 0, running mean 0, running variance 1. Deterministic
// in the seed on every platform (mt19937 with its own float mapping).
StateDict init_parameters(const Graph& graph, uint32_t seed);

} // namespace vkcolor::model
