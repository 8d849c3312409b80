#include "vkcolor/model/graph.hpp"

#include "vkcolor/gpu/error.hpp"

namespace vkcolor::model {

const char* op_name(OpKind op) {
    switch (op) {
    case OpKind::Conv2d: return "Conv2d";
    case OpKind::BatchNorm2d: return "BatchNorm2d";
    case OpKind::ReLU: return "ReLU";
    case OpKind::MaxPool2d: return "MaxPool2d";
    case OpKind::UpsampleNearest2d: return "Upsample";
    case OpKind::Concat: return "Concat";
    }
    return "?";
}

size_t ParamSpec::count() const {
    size_t n = 1;
    for (auto d : shape) n *= static_cast<size_t>(d);
    return n;
}

const Node& Graph::node(const std::string& name) const {
    for (const auto& n : nodes)
        if (n.name == name) return n;
    throw Error("internal: model " + model + " has no node '" + name + "'");
}

std::map<std::string, Shape> Graph::infer_shapes(const Shape& input) const {
    std::map<std::string, Shape> shapes{{"input", input}};
    if (input.c != in_channels)
        throw Error("model " + model + " takes " + std::to_string(in_channels) + " input channel(s), got " +
                    std::to_string(input.c));
    for (const auto& n : nodes) {
        std::vector<Shape> in;
        for (const auto& i : n.inputs) {
            auto it = shapes.find(i);
            if (it == shapes.end()) throw Error("internal: node " + n.name + " reads '" + i + "' before it exists");
            in.push_back(it->second);
        }
        if (in.empty()) throw Error("internal: node " + n.name + " has no inputs");
        Shape s = in[0];
        switch (n.op) {
        case OpKind::Conv2d: {
            int64_t span = int64_t(n.dilation) * (n.kernel - 1) + 1;
            int64_t oh = (int64_t(s.h) + 2 * n.padding - span) / n.stride + 1;
            int64_t ow = (int64_t(s.w) + 2 * n.padding - span) / n.stride + 1;
            if (oh < 1 || ow < 1)
                throw Error("an input of " + std::to_string(s.h) + "x" + std::to_string(s.w) + " is too small for " + n.name);
            s = {s.n, n.out_channels, uint32_t(oh), uint32_t(ow)};
            break;
        }
        case OpKind::BatchNorm2d:
        case OpKind::ReLU: break;
        case OpKind::MaxPool2d:
            if (s.h % 2 || s.w % 2)
                throw Error("an input of " + std::to_string(input.h) + "x" + std::to_string(input.w) +
                            " does not halve evenly at " + n.name + "; pad it to a multiple of " +
                            std::to_string(spatial_multiple()));
            s = {s.n, s.c, s.h / 2, s.w / 2};
            break;
        case OpKind::UpsampleNearest2d: s = {s.n, s.c, s.h * 2, s.w * 2}; break;
        case OpKind::Concat: {
            uint32_t c = 0;
            for (const auto& t : in) {
                if (t.n != s.n || t.h != s.h || t.w != s.w)
                    throw Error("internal: node " + n.name + " concatenates " + in[0].str() + " and " + t.str());
                c += t.c;
            }
            s.c = c;
            break;
        }
        }
        shapes[n.name] = s;
    }
    return shapes;
}

std::vector<ParamSpec> Graph::parameters() const {
    std::vector<ParamSpec> out;
    std::map<std::string, uint32_t> channels{{"input", in_channels}};
    for (const auto& n : nodes) {
        uint32_t cin = 0;
        for (const auto& i : n.inputs) cin += channels.at(i);
        uint32_t cout = cin;
        switch (n.op) {
        case OpKind::Conv2d:
            cout = n.out_channels;
            out.push_back({n.name + ".weight", n.name, ParamRole::Weight, {cout, cin, n.kernel, n.kernel}});
            if (n.bias) out.push_back({n.name + ".bias", n.name, ParamRole::Bias, {cout}});
            break;
        case OpKind::BatchNorm2d:
            cout = channels.at(n.inputs[0]);
            out.push_back({n.name + ".weight", n.name, ParamRole::Weight, {cout}});
            out.push_back({n.name + ".bias", n.name, ParamRole::Bias, {cout}});
            out.push_back({n.name + ".running_mean", n.name, ParamRole::RunningMean, {cout}});
            out.push_back({n.name + ".running_var", n.name, ParamRole::RunningVar, {cout}});
            out.push_back({n.name + ".num_batches_tracked", n.name, ParamRole::BatchesTracked, {}});
            break;
        case OpKind::Concat: break;
        default: cout = channels.at(n.inputs[0]); break;
        }
        channels[n.name] = cout;
    }
    return out;
}

size_t Graph::trainable_count() const {
    size_t n = 0;
    for (const auto& p : parameters())
        if (p.trainable()) n += p.count();
    return n;
}

uint32_t Graph::spatial_multiple() const {
    uint32_t m = 1;
    for (const auto& n : nodes)
        if (n.op == OpKind::MaxPool2d) m *= 2;
    // Pools and upsamples nest (down, down, up, up), so the deepest point needs 2^pools.
    return m;
}

} // namespace vkcolor::model
