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
    case OpKind::LeakyReLU: return "LeakyReLU";
    case OpKind::Sigmoid: return "Sigmoid";
    case OpKind::Tanh: return "Tanh";
    case OpKind::AvgPool2d: return "AvgPool2d";
    case OpKind::UpsampleBilinear2d: return "UpsampleBilinear";
    case OpKind::MaxUnpool2d: return "MaxUnpool2d";
    case OpKind::ConvTranspose2d: return "ConvTranspose2d";
    case OpKind::Linear: return "Linear";
    case OpKind::Flatten: return "Flatten";
    case OpKind::Reshape: return "Reshape";
    case OpKind::Dropout: return "Dropout";
    case OpKind::Add: return "Add";
    case OpKind::Mul: return "Mul";
    }
    return "?";
}

const char* loss_name(LossKind loss) {
    switch (loss) {
    case LossKind::Mse: return "mse";
    case LossKind::L1: return "l1";
    case LossKind::CrossEntropy: return "ce";
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
    for (const auto& n : nodes)
        if (n.op == OpKind::Flatten && (input.h != nominal_size || input.w != nominal_size))
            throw Error("model " + model + " has a dense layer and takes only " + std::to_string(nominal_size) + "x" +
                        std::to_string(nominal_size) + " images, not " + std::to_string(input.h) + "x" + std::to_string(input.w));
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
        case OpKind::ReLU:
        case OpKind::LeakyReLU:
        case OpKind::Sigmoid:
        case OpKind::Tanh:
        case OpKind::Dropout: break;
        case OpKind::MaxPool2d:
        case OpKind::AvgPool2d:
            if (s.h % 2 || s.w % 2)
                throw Error("an input of " + std::to_string(input.h) + "x" + std::to_string(input.w) +
                            " does not halve evenly at " + n.name + "; pad it to a multiple of " +
                            std::to_string(spatial_multiple()));
            s = {s.n, s.c, s.h / 2, s.w / 2};
            break;
        case OpKind::UpsampleNearest2d:
        case OpKind::UpsampleBilinear2d: s = {s.n, s.c, s.h * 2, s.w * 2}; break;
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
        case OpKind::MaxUnpool2d: {
            // The pool's input shape; this node's input must be the shape the pool produced.
            const Node& pool = node(n.indices_from);
            if (pool.op != OpKind::MaxPool2d) throw Error("internal: " + n.name + " unpools " + pool.name + ", not a max-pool");
            if (!(shapes.at(pool.name) == s))
                throw Error("internal: " + n.name + " gets " + s.str() + " but " + pool.name + " produced " + shapes.at(pool.name).str());
            s = shapes.at(pool.inputs[0]);
            break;
        }
        case OpKind::ConvTranspose2d: {
            int64_t oh = (int64_t(s.h) - 1) * n.stride - 2 * int64_t(n.padding) + n.kernel + n.output_padding;
            int64_t ow = (int64_t(s.w) - 1) * n.stride - 2 * int64_t(n.padding) + n.kernel + n.output_padding;
            if (oh < 1 || ow < 1) throw Error("internal: " + n.name + " has no output for " + s.str());
            s = {s.n, n.out_channels, uint32_t(oh), uint32_t(ow)};
            break;
        }
        case OpKind::Linear:
            if (s.h != 1 || s.w != 1) throw Error("internal: " + n.name + " (Linear) needs N x F x 1 x 1, got " + s.str());
            s = {s.n, n.out_channels, 1, 1};
            break;
        case OpKind::Flatten: s = {s.n, s.c * s.h * s.w, 1, 1}; break;
        case OpKind::Reshape:
            if (size_t(s.c) * s.h * s.w != size_t(n.reshape_c) * n.reshape_h * n.reshape_w)
                throw Error("an input of " + std::to_string(input.h) + "x" + std::to_string(input.w) + " gives " + s.str() +
                            " at " + n.name + ", which cannot be reshaped to " + std::to_string(n.reshape_c) + "x" +
                            std::to_string(n.reshape_h) + "x" + std::to_string(n.reshape_w) +
                            " (a model with a dense layer takes only the size it was built for)");
            s = {s.n, n.reshape_c, n.reshape_h, n.reshape_w};
            break;
        case OpKind::Add:
            if (!(in.at(1) == s)) throw Error("internal: " + n.name + " adds " + s.str() + " and " + in.at(1).str());
            break;
        case OpKind::Mul:
            if (in.at(1).n != s.n || in.at(1).c != 1 || in.at(1).h != s.h || in.at(1).w != s.w)
                throw Error("internal: " + n.name + " multiplies " + s.str() + " by " + in.at(1).str() + " (needs N x 1 x H x W)");
            break;
        }
        shapes[n.name] = s;
    }
    return shapes;
}

std::vector<ParamSpec> Graph::parameters() const {
    std::vector<ParamSpec> out;
    // Channel counts from the shapes at the nominal size (a dense layer's width depends on it).
    const auto shapes = infer_shapes({1, in_channels, nominal_size, nominal_size});
    for (const auto& n : nodes) {
        const uint32_t cin = shapes.at(n.inputs[0]).c, cout = shapes.at(n.name).c;
        switch (n.op) {
        case OpKind::Conv2d:
            out.push_back({n.name + ".weight", n.name, ParamRole::Weight, {cout, cin, n.kernel, n.kernel}});
            if (n.bias) out.push_back({n.name + ".bias", n.name, ParamRole::Bias, {cout}});
            break;
        case OpKind::ConvTranspose2d:   // PyTorch's layout: input channels first
            out.push_back({n.name + ".weight", n.name, ParamRole::Weight, {cin, cout, n.kernel, n.kernel}});
            if (n.bias) out.push_back({n.name + ".bias", n.name, ParamRole::Bias, {cout}});
            break;
        case OpKind::Linear:
            out.push_back({n.name + ".weight", n.name, ParamRole::Weight, {cout, cin}});
            if (n.bias) out.push_back({n.name + ".bias", n.name, ParamRole::Bias, {cout}});
            break;
        case OpKind::BatchNorm2d:
            out.push_back({n.name + ".weight", n.name, ParamRole::Weight, {cout}});
            out.push_back({n.name + ".bias", n.name, ParamRole::Bias, {cout}});
            out.push_back({n.name + ".running_mean", n.name, ParamRole::RunningMean, {cout}});
            out.push_back({n.name + ".running_var", n.name, ParamRole::RunningVar, {cout}});
            out.push_back({n.name + ".num_batches_tracked", n.name, ParamRole::BatchesTracked, {}});
            break;
        default: break;
        }
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
        if (n.op == OpKind::MaxPool2d || n.op == OpKind::AvgPool2d) m *= 2;
    // Pools and upsamples nest (down, down, up, up), so the deepest point needs 2^pools.
    return m;
}

} // namespace vkcolor::model
