// The optimizer choice and early stopping in the training loop: SGD and AdamW steps agree on the
// GPU and the CPU reference, an SGD run resumes exactly, and early stopping stops where it should
// (resumed or not) with best.safetensors holding the best epoch.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <optional>
#include <string>

#include "data_helpers.hpp"
#include "gpu_fixture.hpp"
#include "training_helpers.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/data/synthetic.hpp"
#include "vkcolor/io/safetensors.hpp"
#include "vkcolor/train/backend.hpp"
#include "vkcolor/train/trainer.hpp"

using namespace vkcolor;

namespace {

// The trainer's log, kept for reading back.
struct Log {
    std::FILE* f = std::tmpfile();
    ~Log() { std::fclose(f); }
    std::string text() const {
        std::fflush(f);
        std::rewind(f);
        std::string s;
        for (int c; (c = std::fgetc(f)) != EOF;) s += char(c);
        return s;
    }
};

// The first epoch at which `patience` epochs have passed without a lower validation loss than
// the best before them, or 0 if none: where early stopping must stop, from the history itself.
uint32_t expected_stop(const std::vector<train::EpochMetrics>& epochs, uint32_t patience) {
    double best = INFINITY;
    uint32_t best_epoch = 0;
    for (const auto& m : epochs) {
        if (m.val_loss < best) best = m.val_loss, best_epoch = m.epoch;
        if (m.epoch - best_epoch >= patience) return m.epoch;
    }
    return 0;
}

// Three steps of the preset `name` on both backends, as "a few training steps agree on the GPU and the CPU
// reference" (test_training.cpp) does for Adam, and the same tolerances: losses and weights to
// 1e-4, but for the tensors that see only rounding noise when `noise_bound` is given (an Adam-like
// optimizer normalises that noise into steps of up to lr).
void expect_backends_agree(const char* name, const optim::OptimizerConfig& config, std::optional<double> noise_bound) {
    auto& ctx = test::gpu();
    const model::ModelConfig model_config{.model = name, .num_filters = 4};
    auto sets = test::small_sets(12, 4, model_config);
    INFO("model " << name << ", optimizer " << optim::describe(config));
    model::Graph g = model::build_preset(model_config);
    auto init = model::init_parameters(g, 1);
    auto gpu = train::make_gpu_backend(ctx, g, init, config);
    auto cpu = train::make_cpu_backend(g, init, config);
    REQUIRE(test::check_training_steps_agree(*gpu, *cpu, sets.train) == 3);   // 5, 5 and a smaller last batch
    auto noise_only = [](const std::string& n) {
        return (n.size() > 7 && n.compare(n.size() - 7, 7, ".0.bias") == 0) || n.find("running_mean") != std::string::npos;
    };
    auto sg = gpu->state(), sc = cpu->state();
    for (const auto& [n, t] : sc.tensors) {
        INFO(n);
        if (noise_bound && noise_only(n)) {
            double worst = 0;
            for (size_t i = 0; i < t.data.size(); ++i) worst = std::max(worst, double(std::fabs(sg.at(n).data[i] - t.data[i])));
            CHECK(worst <= *noise_bound);
        } else {
            CHECK(check::relative_error(sg.at(n).data, t.data) < 1e-4);
        }
    }
    // SGD's momentum buffers agree too, but for those of the noise-only biases: there the buffer
    // is mostly the two backends' different rounding noise itself (the weights it moved agree).
    auto bg = gpu->train_state().optimizer_state.buffers, bc = cpu->train_state().optimizer_state.buffers;
    REQUIRE(bg.size() == optim::buffer_names(config).size());
    if (config.kind == optim::OptimizerKind::Sgd)
        for (const auto& [param, t] : bc.at("momentum_buffer")) {
            INFO("momentum_buffer." << param);
            if (!noise_only(param)) CHECK(check::relative_error(bg.at("momentum_buffer").at(param).data, t.data) < 1e-4);
        }
    CHECK(gpu->train_state().optimizer_state.step_state.at(1) == 3);
    CHECK(cpu->train_state().optimizer_state.step_state.at(1) == 3);
    test::require_no_validation_messages();
}

} // namespace

TEST_CASE("a few SGD steps with Nesterov momentum agree on the GPU and the CPU reference", "[gpu][training][optimizer]") {
    optim::OptimizerConfig sgd{.kind = optim::OptimizerKind::Sgd, .lr = 0.05f, .weight_decay = 1e-3, .momentum = 0.9,
                               .nesterov = true};
    // SGD steps are lr times the gradient: rounding noise in a gradient moves a weight by lr times
    // that noise, so even the noise-only tensors agree as closely as the rest.
    for (const char* name : {"regression", "cnn", "unet", "dunet"}) expect_backends_agree(name, sgd, std::nullopt);
}

TEST_CASE("a few AdamW steps agree on the GPU and the CPU reference", "[gpu][training][optimizer]") {
    optim::OptimizerConfig adamw{.kind = optim::OptimizerKind::AdamW, .weight_decay = 0.01};
    const double steps = 3;
    for (const char* name : {"regression", "cnn", "unet", "dunet"}) expect_backends_agree(name, adamw, 2 * adamw.lr * steps);
}

TEST_CASE("an SGD run with momentum resumed equals an uninterrupted one bit for bit", "[gpu][training][optimizer][determinism]") {
    auto& ctx = test::gpu();
    test::ScratchDir a, b;
    Log log;
    auto sgd = [](const std::filesystem::path& out) {
        auto o = test::tiny_run(out);
        o.optimizer = optim::OptimizerKind::Sgd;
        o.lr = 0.05f;
        o.momentum = 0.9;
        return o;
    };
    train::train(sgd(a.path), &ctx, log.f);
    auto first = sgd(b.path);
    first.epochs = 1;
    train::train(first, &ctx, log.f);
    auto resumed = sgd(b.path);
    resumed.resume = true;
    REQUIRE(train::train(resumed, &ctx, log.f).epochs.size() == 2);
    CHECK_THAT(log.text(), Catch::Contains("optimizer sgd (momentum 0.9), lr 0.05"));
    CHECK(io::read_safetensors(a / "checkpoint.safetensors").tensors ==
          io::read_safetensors(b / "checkpoint.safetensors").tensors);
    auto state = io::read_safetensors(b / "train_state.safetensors");
    CHECK(io::read_safetensors(a / "train_state.safetensors") == state);
    CHECK(state.metadata.at("optimizer") == "sgd");
    CHECK(std::stod(state.metadata.at("momentum")) == 0.9);
    CHECK(state.tensors.count("momentum_buffer.downconv1.0.weight") == 1);
    CHECK(state.tensors.count("exp_avg.downconv1.0.weight") == 0);
    CHECK(state.tensors.at("sgd_step_state").i64().at(1) == 6);   // 2 epochs of 3 batches

    // Another optimizer, or other settings, cannot continue this state.
    auto other = sgd(b.path);
    other.resume = true;
    other.epochs = 3;
    other.nesterov = true;
    REQUIRE_ERROR_CONTAINS(train::train(other, &ctx, log.f), "train_state.safetensors", "sgd (momentum 0.9)",
                           "sgd (momentum 0.9, nesterov)");
    other = sgd(b.path);
    other.resume = true;
    other.epochs = 3;
    other.optimizer = optim::OptimizerKind::AdamW;
    other.momentum = 0;
    REQUIRE_ERROR_CONTAINS(train::train(other, &ctx, log.f), "train_state.safetensors", "not of adamw (weight decay 0.01)");
    test::require_no_validation_messages();
}

TEST_CASE("early stopping stops after the patience across a resume, and best.safetensors holds the best epoch",
          "[gpu][training][early-stop]") {
    auto& ctx = test::gpu();
    test::ScratchDir dir;
    Log log;
    // Settings whose validation loss improves for a few epochs and then does not: with patience 2
    // this run stops at epoch 7, its best being epoch 5 (the assertions below work that out from
    // the history itself; the numbers only explain the choice of settings).
    auto run = [&](uint32_t epochs, bool resume) {
        auto o = test::tiny_run(dir.path);
        o.synthetic_train = 16;
        o.synthetic_validation = 8;
        o.batch = 8;
        o.lr = 0.01f;
        o.epochs = epochs;
        o.early_stop = 2;
        o.resume = resume;
        return o;
    };
    // Interrupted after epoch 6 (one epoch after the best) and resumed: the best epoch and the
    // epochs since come from metrics.jsonl.
    auto first = train::train(run(6, false), &ctx, log.f);
    auto summary = train::train(run(20, true), &ctx, log.f);
    INFO(log.text());
    REQUIRE(!first.stopped_early);   // else these settings stop too early for this test: pick others
    const uint32_t stop = expected_stop(summary.epochs, 2);
    REQUIRE(stop > 6);
    CHECK(summary.stopped_early);
    CHECK(summary.epochs.size() == stop);
    CHECK(summary.best_epoch == stop - 2);
    const auto& best = summary.epochs.at(summary.best_epoch - 1);
    char line[160];
    std::snprintf(line, sizeof line, "Early stop: no val loss improvement for 2 epochs; best epoch %u, val loss %.4f\n",
                  summary.best_epoch, best.val_loss);
    CHECK_THAT(log.text(), Catch::Contains(line));
    CHECK_THAT(log.text(), Catch::Contains("early stop after 2 epochs without improvement"));

    // best.safetensors is the best epoch's checkpoint: its metadata says so, and it gives the
    // validation loss that epoch recorded (the same evaluation, so the same bits).
    auto c = train::load_checkpoint(dir / "best.safetensors");
    CHECK(c.epochs_trained == summary.best_epoch);
    CHECK(train::load_checkpoint(dir / "checkpoint.safetensors").epochs_trained == stop);
    std::string description;
    auto sets = train::load_training_data(run(20, true), c.palette, description);
    model::Graph g = model::build_preset(c.config);
    auto results = train::make_gpu_backend(ctx, g, c.state, {})->evaluate(sets.validation, 8);
    double loss = 0;
    for (const auto& r : results) loss += r.loss;
    CHECK(loss / results.size() == best.val_loss);

    // Resuming a run that has stopped trains nothing more.
    auto after = train::train(run(20, true), &ctx, log.f);
    CHECK(after.stopped_early);
    CHECK(after.epochs.size() == stop);
    CHECK_THAT(log.text(), Catch::Contains("already stopped early: no val loss improvement for 2 epochs"));
    test::require_no_validation_messages();
}
