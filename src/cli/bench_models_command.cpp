// `vkcolor bench models`: whole training steps and inference of each model on this device:
// images per second (wall clock, batches pipelined as in training) and GPU time per layer.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/layers/conv2d.hpp"
#include "vkcolor/model/gpu_model.hpp"

namespace vkcolor::cli {

namespace {

struct ModelsOptions {
    std::vector<std::string> models = {"regression", "cnn", "unet"};
    uint32_t batch = 100;
    uint32_t steps = 10;
    uint32_t layers = 12;   // rows of the per-layer table
    uint32_t size = 32;     // images are size x size
    bool infer_only = false;
    bool json = false;
};

// A profiled pass's regions: the nodes (and loss, optimizer) one after another, and inside each
// the dispatches, named after their shader. Split into the two, the shaders summed by name.
struct Regions {
    std::vector<gpu::RegionTime> nodes, shaders;
    double total_ms = 0;
};

Regions split_regions(const std::vector<gpu::RegionTime>& all) {
    Regions r;
    const std::string prefix = gpu::Recording::k_shader_region_prefix;
    std::map<std::string, double> shaders;
    for (const auto& t : all) {
        if (t.name.rfind(prefix, 0) == 0) {
            shaders[t.name.substr(prefix.size())] += t.milliseconds;
        } else {
            r.nodes.push_back(t);
            r.total_ms += t.milliseconds;
        }
    }
    for (const auto& [name, ms] : shaders) r.shaders.push_back({name, ms});
    return r;
}

struct ModelResult {
    std::string model;
    double train_images_per_s = 0, infer_images_per_s = 0, train_step_ms = 0, gpu_step_ms = 0;
    Regions train, infer;   // of one training step and one inference pass
};

// Runs `steps` submissions through the pass's two slots, as the training loop does, and
// returns seconds per step.
double time_steps(model::GpuPass& pass, uint32_t steps) {
    auto start = std::chrono::steady_clock::now();
    for (uint32_t k = 0; k < steps; ++k) {
        int slot = static_cast<int>(k % 2);
        pass.wait(slot);
        pass.submit(slot);
    }
    pass.wait(0);
    pass.wait(1);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / steps;
}

// One training pass at `in`: images per second and GPU time per region of a step.
void time_training(model::GpuModel& m, const model::Graph& g, const Shape& in, const HostTensor& x,
                   const ModelsOptions& o, ModelResult& r) {
    auto& train = m.pass(in, model::PassMode::Train, true);
    for (int s = 0; s < 2; ++s) {
        std::memcpy(train.input(s), x.data.data(), in.bytes());
        HostTensor t = check::random_tensor({1, 1, 1, uint32_t(train.target_count())}, 2, 0.0f, 1.0f);
        if (g.loss == model::LossKind::CrossEntropy)
            for (auto& v : t.data) v = std::floor(v * g.out_channels);
        std::memcpy(train.target(s), t.data.data(), t.data.size() * sizeof(float));
    }
    time_steps(train, 2);   // warm-up: first submissions, caches
    double step = time_steps(train, o.steps);
    r.train_step_ms = step * 1e3;
    r.train_images_per_s = o.batch / step;
    r.train = split_regions(train.region_times(0));
    r.gpu_step_ms = r.train.total_ms;
}

ModelResult bench_model(gpu::Context& ctx, const std::string& name, const ModelsOptions& o) {
    model::Graph g = model::build_preset({.model = name});
    model::GpuModel m(ctx, g, model::init_parameters(g, 0), {});
    const Shape in{o.batch, g.in_channels, o.size, o.size};
    // Plausible data: inputs in [0,1), targets of the right kind.
    HostTensor x = check::random_tensor(in, 1, 0.0f, 1.0f);
    ModelResult r;
    r.model = name;
    if (!o.infer_only) time_training(m, g, in, x, o, r);

    auto& infer = m.pass(in, model::PassMode::Infer);
    for (int s = 0; s < 2; ++s) std::memcpy(infer.input(s), x.data.data(), in.bytes());
    time_steps(infer, 2);
    r.infer_images_per_s = o.batch / time_steps(infer, o.steps);
    // The region table comes from a separate profiled pass: timestamps between regions cost
    // time on some drivers, so they stay out of the images-per-second figure.
    auto& profiled = m.pass(in, model::PassMode::Infer, true);
    std::memcpy(profiled.input(0), x.data.data(), in.bytes());
    for (int k = 0; k < 3; ++k) {   // the first submissions touch fresh memory
        profiled.submit(0);
        profiled.wait(0);
    }
    r.infer = split_regions(profiled.region_times(0));
    return r;
}

// The `rows` slowest regions, slowest first, with their share of `total_ms`.
void print_regions(const std::string& title, std::vector<gpu::RegionTime> regions, double total_ms, uint32_t rows) {
    if (regions.empty()) return;
    std::sort(regions.begin(), regions.end(), [](auto& a, auto& b) { return a.milliseconds > b.milliseconds; });
    std::printf("\n%s (%.1f ms; top %u of %zu)\n", title.c_str(), total_ms,
                std::min<uint32_t>(rows, uint32_t(regions.size())), regions.size());
    for (size_t i = 0; i < regions.size() && i < rows; ++i)
        std::printf("  %-28s %9.2f ms %5.1f%%\n", regions[i].name.c_str(), regions[i].milliseconds,
                    100.0 * regions[i].milliseconds / std::max(total_ms, 1e-9));
}

void run_models(gpu::Context& ctx, const ModelsOptions& o) {
    const auto kernels = layers::conv2d_kernels(ctx);
    nlohmann::json doc = {{"device", ctx.info().name}, {"driver", ctx.info().driver}, {"conv_kernels", kernels.variant},
                          {"batch", o.batch}, {"size", o.size}, {"steps", o.steps}, {"models", nlohmann::json::array()}};
    if (!o.json)
        std::printf("device %u: %s (%s), convolution kernels %s, batch %u of %ux%u, %u timed steps\n\n%-12s %14s %14s "
                    "%12s %12s\n",
                    ctx.info().index, ctx.info().name.c_str(), ctx.info().driver.c_str(), kernels.variant.c_str(), o.batch,
                    o.size, o.size, o.steps, "model", "train img/s", "infer img/s", "step ms", "GPU ms");
    std::vector<ModelResult> results;
    for (const auto& name : o.models) {
        results.push_back(bench_model(ctx, name, o));
        const auto& r = results.back();
        if (!o.json) {
            std::printf("%-12s %14.1f %14.1f %12.1f %12.1f\n", r.model.c_str(), r.train_images_per_s, r.infer_images_per_s,
                        r.train_step_ms, r.gpu_step_ms);
            std::fflush(stdout);
        }
        auto to_json = [](const std::vector<gpu::RegionTime>& v) {
            nlohmann::json a = nlohmann::json::array();
            for (const auto& t : v) a.push_back({{"region", t.name}, {"ms", t.milliseconds}});
            return a;
        };
        doc["models"].push_back({{"model", r.model},
                                 {"train_images_per_s", r.train_images_per_s},
                                 {"infer_images_per_s", r.infer_images_per_s},
                                 {"train_step_ms", r.train_step_ms},
                                 {"gpu_step_ms", r.gpu_step_ms},
                                 {"regions", to_json(r.train.nodes)},
                                 {"shaders", to_json(r.train.shaders)},
                                 {"gpu_infer_ms", r.infer.total_ms},
                                 {"infer_regions", to_json(r.infer.nodes)},
                                 {"infer_shaders", to_json(r.infer.shaders)}});
    }
    if (o.json) {
        std::printf("%s\n", doc.dump(2).c_str());
        return;
    }
    for (const auto& r : results) {
        print_regions(r.model + ": GPU time per region of one training step", r.train.nodes, r.train.total_ms, o.layers);
        print_regions(r.model + ": GPU time per shader in one training step", r.train.shaders, r.train.total_ms, o.layers);
        print_regions(r.model + ": GPU time per region of one inference pass", r.infer.nodes, r.infer.total_ms, o.layers);
        print_regions(r.model + ": GPU time per shader in one inference pass", r.infer.shaders, r.infer.total_ms, o.layers);
    }
}

} // namespace

void add_bench_models(CLI::App& bench, const GlobalOptions& global) {
    auto* cmd = bench.add_subcommand("models", "time whole training steps and inference of each model");
    auto o = std::make_shared<ModelsOptions>();
    cmd->add_option("--model", o->models, "models to time (repeatable)")
        ->check(CLI::IsMember(model::preset_names()))
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    cmd->add_option("--batch", o->batch, "batch size")->check(CLI::Range(1, 4096))->capture_default_str();
    cmd->add_option("--steps", o->steps, "timed steps")->check(CLI::Range(1, 10000))->capture_default_str();
    cmd->add_option("--layers", o->layers, "rows of the per-layer table")->capture_default_str();
    cmd->add_option("--size", o->size, "images are SIZE x SIZE pixels")->check(CLI::Range(8, 8192))->capture_default_str();
    cmd->add_flag("--infer-only", o->infer_only, "time inference only (train img/s is then 0)");
    cmd->add_flag("--json", o->json, "print JSON instead of tables");
    cmd->callback([&global, o] {
        gpu::Context ctx(global.context_options());
        run_models(ctx, *o);
    });
}

} // namespace vkcolor::cli
