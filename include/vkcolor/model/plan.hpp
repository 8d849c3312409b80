#pragma once
// What a training step does, worked out once from the graph and shared by both backends (GPU
// and CPU reference): the forward in graph order, the loss, the backward in reverse order with
// the gradient of every tensor that feeds several consumers summed from per-consumer parts, and
// the optimizer step. Storage is named; a backend allocates one tensor per name.
//
// Names: "act:N" the output of node N ("input" for the batch), "grad:N" its gradient,
// "grad:N#k" the part of it from N's k-th consumer, "grad:N~k" a partial sum of those parts,
// "discard:K" a gradient nobody needs (the input image's) that a backward must still write.
#include <string>
#include <vector>

#include "vkcolor/model/graph.hpp"

namespace vkcolor::model {

struct Step {
    enum class Kind { Forward, Loss, Backward, AddGrads, Optimizer };
    Kind kind;
    int node = -1;                          // Forward, Backward: index into graph.nodes
    // Backward: where the gradient of each input goes (same order as node.inputs); empty when
    // the op can skip it (a conv need not compute the gradient of the input image).
    std::vector<std::string> input_grads;
    // AddGrads: out = a + b.
    std::string a, b, out;
};

struct Plan {
    std::vector<Step> forward;    // Forward steps, then the Loss step (which also seeds the gradient)
    std::vector<Step> backward;   // Backward and AddGrads steps, then the Optimizer step
    std::vector<std::string> grad_names;   // every gradient buffer the backward writes
};

// True if `op` can skip computing the gradient of its i-th input when nobody needs it.
bool can_skip_input_grad(OpKind op);

Plan make_plan(const Graph& graph);

inline std::string act_name(const std::string& node) { return "act:" + node; }
inline std::string grad_name(const std::string& node) { return "grad:" + node; }

} // namespace vkcolor::model
