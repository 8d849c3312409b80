#include "vkcolor/model/plan.hpp"

#include <map>

namespace vkcolor::model {

bool can_skip_input_grad(OpKind op) {
    return op == OpKind::Conv2d || op == OpKind::ConvTranspose2d || op == OpKind::Linear;
}

Plan make_plan(const Graph& g) {
    Plan plan;
    for (int i = 0; i < static_cast<int>(g.nodes.size()); ++i) plan.forward.push_back({Step::Kind::Forward, i});
    plan.forward.push_back({Step::Kind::Loss});

    // Consumers of each tensor, in graph order: (node index, input position).
    std::map<std::string, std::vector<std::pair<int, size_t>>> consumers;
    for (int i = 0; i < static_cast<int>(g.nodes.size()); ++i)
        for (size_t k = 0; k < g.nodes[i].inputs.size(); ++k) consumers[g.nodes[i].inputs[k]].push_back({i, k});

    // Where consumer (i, k)'s gradient for its input goes.
    auto destination = [&](int i, size_t k) -> std::string {
        const std::string& t = g.nodes[i].inputs[k];
        const auto& list = consumers[t];
        if (t == "input") return can_skip_input_grad(g.nodes[i].op) ? "" : "discard:" + g.nodes[i].name;
        if (list.size() == 1) return grad_name(t);
        for (size_t j = 0; j < list.size(); ++j)
            if (list[j] == std::make_pair(i, k)) return grad_name(t) + "#" + std::to_string(j);
        return "";   // unreachable: (i, k) is one of t's consumers
    };

    // Reverse order: a tensor's consumers all come after it, so by the time the backward reaches
    // its producer, every part of its gradient has been written and summed.
    for (int i = static_cast<int>(g.nodes.size()) - 1; i >= 0; --i) {
        const Node& n = g.nodes[i];
        // Sum the parts of this node's output gradient first, if it has several consumers.
        const auto& list = consumers[n.name];
        if (list.size() > 1) {
            std::string acc = grad_name(n.name) + "#0";
            for (size_t j = 1; j < list.size(); ++j) {
                std::string out = j + 1 == list.size() ? grad_name(n.name) : grad_name(n.name) + "~" + std::to_string(j);
                plan.backward.push_back({Step::Kind::AddGrads, -1, {}, acc, grad_name(n.name) + "#" + std::to_string(j), out});
                acc = out;
            }
        }
        Step s{Step::Kind::Backward, i};
        for (size_t k = 0; k < n.inputs.size(); ++k) s.input_grads.push_back(destination(i, k));
        plan.backward.push_back(s);
    }
    plan.backward.push_back({Step::Kind::Optimizer});

    plan.grad_names.push_back(grad_name(g.nodes.back().name));   // seeded by the loss
    for (const auto& s : plan.backward) {
        for (const auto& d : s.input_grads)
            if (!d.empty()) plan.grad_names.push_back(d);
        if (s.kind == Step::Kind::AddGrads) plan.grad_names.push_back(s.out);
    }
    return plan;
}

} // namespace vkcolor::model
