#include "vkcolor/model/parameters.hpp"

#include <cmath>
#include <random>

#include "vkcolor/gpu/error.hpp"

namespace vkcolor::model {

HostTensor& StateDict::at(const std::string& name) {
    auto it = tensors.find(name);
    if (it == tensors.end()) throw Error("internal: no parameter '" + name + "'");
    return it->second;
}

const HostTensor& StateDict::at(const std::string& name) const {
    auto it = tensors.find(name);
    if (it == tensors.end()) throw Error("internal: no parameter '" + name + "'");
    return it->second;
}

Shape host_shape(const ParamSpec& p) {
    auto d = [&](size_t i) { return static_cast<uint32_t>(p.shape[i]); };
    switch (p.shape.size()) {
    case 0: return {1, 1, 1, 1};
    case 1: return {1, d(0), 1, 1};
    case 2: return {d(0), d(1), 1, 1};   // Linear's out x in
    case 4: return {d(0), d(1), d(2), d(3)};
    default: throw Error("internal: parameter " + p.name + " has an unsupported rank");
    }
}

StateDict init_parameters(const Graph& graph, uint32_t seed) {
    std::mt19937 rng(seed);
    // 24 random bits -> [0, 1): the same floats on every platform (std::uniform_real_distribution
    // is implementation-defined).
    auto uniform = [&](float bound) {
        float u = static_cast<float>(rng() >> 8) * (1.0f / 16777216.0f);
        return (2.0f * u - 1.0f) * bound;
    };
    StateDict sd;
    const auto params = graph.parameters();
    for (const auto& p : params) {
        if (p.role == ParamRole::BatchesTracked) continue;
        HostTensor t(host_shape(p));
        const Node& node = graph.node(p.node);
        if (node.op == OpKind::Conv2d || node.op == OpKind::ConvTranspose2d || node.op == OpKind::Linear) {
            // PyTorch's default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias, fan_in
            // computed from the weight as torch does: size(1) times the kernel area (for a
            // transposed conv that is its output channels, as torch's _calculate_fan_in_and_fan_out).
            const ParamSpec* w = nullptr;
            for (const auto& q : params)
                if (q.node == p.node && q.role == ParamRole::Weight) w = &q;
            int64_t fan_in = 1;
            for (size_t i = 1; i < w->shape.size(); ++i) fan_in *= w->shape[i];
            float bound = 1.0f / std::sqrt(static_cast<float>(fan_in));
            for (auto& v : t.data) v = uniform(bound);
        } else {
            float value = p.role == ParamRole::Weight || p.role == ParamRole::RunningVar ? 1.0f : 0.0f;
            for (auto& v : t.data) v = value;
        }
        sd.tensors[p.name] = std::move(t);
    }
    return sd;
}

} // namespace vkcolor::model
