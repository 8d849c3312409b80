#pragma once
// Small training sets for the GPU-vs-CPU training tests: synthetic scenes made into the inputs and
// targets of a model's task (RGB targets for regression, colour classes for the classifiers, ...).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <string>

#include "vkcolor/check/harness.hpp"
#include "vkcolor/data/dataset.hpp"
#include "vkcolor/data/synthetic.hpp"
#include "vkcolor/model/graph.hpp"
#include "vkcolor/model/parameters.hpp"
#include "vkcolor/train/backend.hpp"
#include "vkcolor/train/trainer.hpp"

namespace vkcolor::test {

inline data::TrainValidation small_sets(uint32_t train, uint32_t validation, const model::ModelConfig& config,
                                        uint32_t seed = 3) {
    data::DatasetOptions d;
    d.seed = seed;
    d.task = model::task_of(config);
    return data::make_train_validation(data::synthetic_scenes(train, seed), data::synthetic_scenes(validation, seed, train),
                                       data::default_palette(), d);
}

// A two-epoch UNet run on 48 synthetic images, small enough for tests.
inline train::TrainOptions tiny_run(const std::filesystem::path& out) {
    train::TrainOptions o;
    o.model.model = "unet";
    o.model.num_filters = 4;
    o.data = "synthetic";
    o.synthetic_train = 48;
    o.synthetic_validation = 16;
    o.batch = 16;
    o.epochs = 2;
    o.out = out;
    o.progress = false;
    return o;
}

// One epoch of `data` in batches of 5 on each backend: the step losses must be finite and agree
// to 1e-4, and the correct-pixel counts exactly. Returns the number of steps.
inline size_t check_training_steps_agree(train::Backend& gpu, train::Backend& cpu, const data::Dataset& data) {
    auto rg = gpu.train_epoch(data, 5, nullptr);
    auto rc = cpu.train_epoch(data, 5, nullptr);
    REQUIRE(rg.size() == rc.size());
    for (size_t i = 0; i < rg.size(); ++i) {
        INFO("step " << i << ": gpu " << rg[i].loss << ", cpu " << rc[i].loss);
        CHECK(std::isfinite(rg[i].loss));
        CHECK(std::fabs(rg[i].loss - rc[i].loss) <= 1e-4 * std::fabs(rc[i].loss));
        CHECK(rg[i].correct == rc[i].correct);
    }
    return rg.size();
}

// The weights of two backends after `steps` Adam steps from the same start. A layer's bias
// feeding a batch norm has a gradient of exactly 0 in exact arithmetic (the norm subtracts the
// mean), so both backends see rounding noise there, which Adam normalises into steps of up to lr
// in either direction; the running mean absorbs it. Those may differ by up to 2 lr per step;
// every other tensor must agree to 1e-4.
inline void check_weights_agree(const model::Graph& g, const model::StateDict& gpu, const model::StateDict& cpu, double lr,
                                double steps) {
    std::set<std::string> noise_only;
    for (const auto& n : g.nodes)
        if (n.op == model::OpKind::BatchNorm2d) {
            noise_only.insert(n.inputs[0] + ".bias");
            noise_only.insert(n.name + ".running_mean");
        }
    for (const auto& [name, t] : cpu.tensors) {
        INFO(name);
        const HostTensor& other = gpu.at(name);
        if (noise_only.count(name)) {
            double worst = 0;
            for (size_t i = 0; i < t.data.size(); ++i) worst = std::max(worst, double(std::fabs(other.data[i] - t.data[i])));
            CHECK(worst <= 2 * lr * steps);
        } else {
            CHECK(check::relative_error(other.data, t.data) < 1e-4);
        }
    }
}

} // namespace vkcolor::test
