#include "vkcolor/train/checkpoint.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "vkcolor/gpu/error.hpp"
#include "vkcolor/io/safetensors.hpp"

namespace vkcolor::train {

namespace {

constexpr const char* k_format = "vkcolor-checkpoint-1";
constexpr const char* k_state_format = "vkcolor-train-state-1";

std::vector<uint64_t> dims(const std::vector<int64_t>& shape) { return {shape.begin(), shape.end()}; }

uint32_t meta_uint(const io::SafeTensors& f, const std::string& key, const std::filesystem::path& path) {
    auto it = f.metadata.find(key);
    if (it == f.metadata.end()) throw Error(path.string() + ": not a vkcolor checkpoint (no '" + key + "' in its metadata)");
    try {
        size_t used = 0;
        unsigned long v = std::stoul(it->second, &used);
        if (used != it->second.size() || v > 0xffffffffu) throw std::invalid_argument("range");
        return static_cast<uint32_t>(v);
    } catch (const std::exception&) {
        throw Error(path.string() + ": metadata '" + key + "' is not a number: " + it->second);
    }
}

std::string float_text(float v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", double(v));
    return buf;
}

std::string join(const std::vector<uint32_t>& v) {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i) {
        if (i) s += ',';
        s += std::to_string(v[i]);
    }
    return s;
}

// The settings added after the first checkpoints: absent keys keep ModelConfig's defaults, which
// are what those checkpoints were trained with.
void read_optional_settings(const io::SafeTensors& f, const std::filesystem::path& path, model::ModelConfig& c) {
    auto text = [&](const char* key, std::string& out) {
        if (auto it = f.metadata.find(key); it != f.metadata.end()) out = it->second;
    };
    auto number = [&](const char* key, float& out) {
        auto it = f.metadata.find(key);
        if (it == f.metadata.end()) return;
        try {
            size_t used = 0;
            out = std::stof(it->second, &used);
            if (used != it->second.size()) throw std::invalid_argument("trailing");
        } catch (const std::exception&) {
            throw Error(path.string() + ": metadata '" + key + "' is not a number: " + it->second);
        }
    };
    text("task", c.task);
    text("loss", c.loss);
    text("activation", c.activation);
    text("grey", c.grey);
    number("negative_slope", c.negative_slope);
    number("dropout", c.dropout);
    if (f.metadata.count("latent")) c.latent = meta_uint(f, "latent", path);
    if (auto it = f.metadata.find("encoder"); it != f.metadata.end()) {
        c.encoder.clear();
        size_t start = 0;
        const std::string& s = it->second;
        while (start <= s.size()) {
            size_t end = s.find(',', start);
            if (end == std::string::npos) end = s.size();
            try {
                c.encoder.push_back(static_cast<uint32_t>(std::stoul(s.substr(start, end - start))));
            } catch (const std::exception&) {
                throw Error(path.string() + ": metadata 'encoder' is not a list of channel counts: " + s);
            }
            start = end + 1;
        }
    }
}

} // namespace

void save_checkpoint(const std::filesystem::path& path, const Checkpoint& c) {
    model::Graph graph = model::build_preset(c.config);
    io::SafeTensors f;
    for (const auto& p : graph.parameters()) {
        if (p.role == model::ParamRole::BatchesTracked) {
            f.tensors[p.name] = io::i64_tensor({}, {c.state.batches_tracked});
            continue;
        }
        const HostTensor& t = c.state.at(p.name);
        f.tensors[p.name] = io::f32_tensor(dims(p.shape), t.data);
    }
    nlohmann::json palette = nlohmann::json::array();
    for (const auto& rgb : c.palette.colours) palette.push_back({rgb[0], rgb[1], rgb[2]});
    f.metadata = {{"format", k_format},
                  {"model", c.config.model},
                  {"num_filters", std::to_string(c.config.num_filters)},
                  {"kernel", std::to_string(c.config.kernel)},
                  {"colours", std::to_string(c.config.colours)},
                  {"in_channels", std::to_string(graph.in_channels)},
                  {"dilation", std::to_string(c.config.dilation)},
                  {"task", c.config.task},
                  {"loss", model::loss_name(graph.loss)},
                  {"activation", c.config.activation},
                  {"negative_slope", float_text(c.config.negative_slope)},
                  {"grey", c.config.grey},
                  {"dropout", float_text(c.config.dropout)},
                  {"latent", std::to_string(c.config.latent)},
                  {"encoder", join(c.config.encoder)},
                  {"epochs_trained", std::to_string(c.epochs_trained)},
                  {"palette", palette.dump()},
                  {"vkcolor_version", VKCOLOR_VERSION}};
    io::write_safetensors(path, f);
}

Checkpoint load_checkpoint(const std::filesystem::path& path) { return decode_checkpoint(io::read_safetensors(path), path); }

Checkpoint decode_checkpoint(const io::SafeTensors& f, const std::filesystem::path& path) {
    auto fmt = f.metadata.find("format");
    if (fmt == f.metadata.end() || fmt->second != k_format)
        throw Error(path.string() + ": not a vkcolor checkpoint (metadata 'format' is not " + k_format +
                    "; tools/convert_checkpoint.py converts PyTorch checkpoints)");
    Checkpoint c;
    c.config.model = f.metadata.count("model") ? f.metadata.at("model") : "";
    c.config.num_filters = meta_uint(f, "num_filters", path);
    c.config.kernel = meta_uint(f, "kernel", path);
    c.config.colours = meta_uint(f, "colours", path);
    c.config.in_channels = meta_uint(f, "in_channels", path);
    c.config.dilation = meta_uint(f, "dilation", path);
    c.epochs_trained = meta_uint(f, "epochs_trained", path);
    read_optional_settings(f, path, c.config);
    model::Graph graph;
    try {
        graph = model::build_preset(c.config);
    } catch (const Error& e) {
        throw Error(path.string() + ": " + e.what());
    }
    if (c.config.in_channels != graph.in_channels)
        throw Error(path.string() + ": metadata 'in_channels' is " + std::to_string(c.config.in_channels) + " but model " +
                    c.config.model + " with task " + c.config.task + " takes " + std::to_string(graph.in_channels));
    try {
        auto palette = nlohmann::json::parse(f.metadata.at("palette"));
        for (const auto& rgb : palette) c.palette.colours.push_back({rgb.at(0).get<float>(), rgb.at(1).get<float>(), rgb.at(2).get<float>()});
    } catch (const std::exception&) {
        throw Error(path.string() + ": metadata 'palette' is missing or not a list of RGB triples");
    }
    if (graph.loss == model::LossKind::CrossEntropy && c.palette.size() != graph.out_channels)
        throw Error(path.string() + ": the palette has " + std::to_string(c.palette.size()) + " colours but the model predicts " +
                    std::to_string(graph.out_channels));

    auto params = graph.parameters();
    for (const auto& p : params) {
        auto it = f.tensors.find(p.name);
        if (it == f.tensors.end()) throw Error(path.string() + ": tensor '" + p.name + "' is missing for model " + c.config.model);
        if (it->second.shape != dims(p.shape))
            throw Error(path.string() + ": tensor '" + p.name + "' has the wrong shape for model " + c.config.model);
        if (p.role == model::ParamRole::BatchesTracked) {
            c.state.batches_tracked = it->second.i64().at(0);
            continue;
        }
        HostTensor t(model::host_shape(p));
        t.data = it->second.f32();
        c.state.tensors[p.name] = std::move(t);
    }
    if (f.tensors.size() != params.size())
        for (const auto& [name, _] : f.tensors) {
            bool known = false;
            for (const auto& p : params) known |= p.name == name;
            if (!known) throw Error(path.string() + ": unexpected tensor '" + name + "' for model " + c.config.model);
        }
    return c;
}

namespace {

std::string step_state_tensor(optim::OptimizerKind kind) {
    // Adam and AdamW share adam_step's state; the name stays what files before SGD used.
    return kind == optim::OptimizerKind::Sgd ? "sgd_step_state" : "adam_step_state";
}

// Doubles to 17 significant digits, which read back to the same double.
std::string exact(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

double meta_double(const io::SafeTensors& f, const std::string& key, const std::filesystem::path& path) {
    auto it = f.metadata.find(key);
    if (it == f.metadata.end()) throw Error(path.string() + ": the optimizer setting '" + key + "' is missing from its metadata");
    try {
        size_t used = 0;
        double v = std::stod(it->second, &used);
        if (used != it->second.size()) throw std::invalid_argument("trailing text");
        return v;
    } catch (const std::exception&) {
        throw Error(path.string() + ": metadata '" + key + "' is not a number: " + it->second);
    }
}

// The settings the optimizer's kind uses, as metadata (the learning rate is not one of them:
// a resumed run may change it).
void put_optimizer(std::map<std::string, std::string>& meta, const optim::OptimizerConfig& c) {
    meta["optimizer"] = optim::optimizer_name(c.kind);
    meta["weight_decay"] = exact(c.weight_decay);
    if (c.kind == optim::OptimizerKind::Sgd) {
        meta["momentum"] = exact(c.momentum);
        meta["dampening"] = exact(c.dampening);
        meta["nesterov"] = c.nesterov ? "true" : "false";
    } else {
        meta["beta1"] = exact(c.beta1);
        meta["beta2"] = exact(c.beta2);
        meta["eps"] = exact(c.eps);
    }
}

optim::OptimizerConfig get_optimizer(const io::SafeTensors& f, const std::filesystem::path& path) {
    optim::OptimizerConfig c;
    try {
        c.kind = optim::parse_optimizer_kind(f.metadata.at("optimizer"));
    } catch (const Error& e) {
        throw Error(path.string() + ": " + e.what());
    }
    c.weight_decay = meta_double(f, "weight_decay", path);
    if (c.kind == optim::OptimizerKind::Sgd) {
        c.momentum = meta_double(f, "momentum", path);
        c.dampening = meta_double(f, "dampening", path);
        auto nesterov = f.metadata.find("nesterov");
        if (nesterov == f.metadata.end() || (nesterov->second != "true" && nesterov->second != "false"))
            throw Error(path.string() + ": metadata 'nesterov' is missing or not true/false");
        c.nesterov = nesterov->second == "true";
    } else {
        c.beta1 = meta_double(f, "beta1", path);
        c.beta2 = meta_double(f, "beta2", path);
        c.eps = meta_double(f, "eps", path);
    }
    return c;
}

} // namespace

void save_train_state(const std::filesystem::path& path, const TrainState& s) {
    io::SafeTensors f;
    const auto& words = s.optimizer_state.step_state;
    f.tensors[step_state_tensor(s.optimizer.kind)] =
        io::i64_tensor({words.size()}, std::vector<int64_t>(words.begin(), words.end()));
    for (const auto& name : optim::buffer_names(s.optimizer))
        for (const auto& [param, t] : s.optimizer_state.buffers.at(name))
            f.tensors[name + "." + param] = io::f32_tensor({t.data.size()}, t.data);
    f.metadata = {{"format", k_state_format}, {"epochs_done", std::to_string(s.epochs_done)}};
    put_optimizer(f.metadata, s.optimizer);
    io::write_safetensors(path, f);
}

TrainState load_train_state(const std::filesystem::path& path, const model::Graph& graph) {
    io::SafeTensors f = io::read_safetensors(path);
    auto fmt = f.metadata.find("format");
    if (fmt == f.metadata.end() || fmt->second != k_state_format)
        throw Error(path.string() + ": not a vkcolor training state");
    TrainState s;
    s.epochs_done = meta_uint(f, "epochs_done", path);
    s.optimizer_recorded = f.metadata.count("optimizer") > 0;
    if (s.optimizer_recorded) s.optimizer = get_optimizer(f, path);   // else Adam, as every older file
    const std::string words_name = step_state_tensor(s.optimizer.kind);
    auto words = f.tensors.find(words_name);
    if (words == f.tensors.end() || words->second.shape != std::vector<uint64_t>{optim::step_state_words(s.optimizer.kind)})
        throw Error(path.string() + ": '" + words_name + "' is missing or has the wrong size");
    for (int64_t w : words->second.i64()) s.optimizer_state.step_state.push_back(static_cast<uint32_t>(w));
    for (const auto& name : optim::buffer_names(s.optimizer)) {
        auto& buffers = s.optimizer_state.buffers[name];
        for (const auto& p : graph.parameters()) {
            if (!p.trainable()) continue;
            auto it = f.tensors.find(name + "." + p.name);
            if (it == f.tensors.end() || it->second.f32().size() != p.count())
                throw Error(path.string() + ": '" + name + "." + p.name + "' is missing or has the wrong size");
            HostTensor t(model::host_shape(p));
            t.data = it->second.f32();
            buffers[p.name] = std::move(t);
        }
    }
    return s;
}

} // namespace vkcolor::train
