// The scheduler end to end: GPU and CPU backends agree, runs resume exactly, checkpoints round
// trip, images of any size are coloured, and training on CIFAR-10 horses lowers the loss.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>

#include "data_helpers.hpp"
#include "gpu_fixture.hpp"
#include "training_helpers.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/data/synthetic.hpp"
#include "vkcolor/io/safetensors.hpp"
#include "vkcolor/train/backend.hpp"
#include "vkcolor/train/colorize.hpp"
#include "vkcolor/train/trainer.hpp"

using namespace vkcolor;

namespace {

struct NullLog {
    std::FILE* f = std::fopen("/dev/null", "w");
    ~NullLog() { std::fclose(f); }
};

} // namespace

TEST_CASE("a few training steps agree on the GPU and the CPU reference", "[gpu][training]") {
    auto& ctx = test::gpu();
    for (const char* name : {"regression", "cnn", "unet", "dunet"}) {
        INFO("model " << name);
        model::ModelConfig config{.model = name, .num_filters = 4};
        auto sets = test::small_sets(12, 4, config);
        model::Graph g = model::build_preset(config);
        auto init = model::init_parameters(g, 1);
        optim::OptimizerConfig adam;
        auto gpu = train::make_gpu_backend(ctx, g, init, adam);
        auto cpu = train::make_cpu_backend(g, init, adam);
        // Evaluation first, while the weights are identical (after training, the noise-driven
        // conv biases below no longer cancel in evaluation mode).
        auto eg = gpu->evaluate(sets.validation, 4), ec = cpu->evaluate(sets.validation, 4);
        CHECK(std::fabs(eg[0].loss - ec[0].loss) <= 1e-5 * std::fabs(ec[0].loss));
        // Batches of 5: two full ones and a smaller last one (a second pass shape).
        REQUIRE(test::check_training_steps_agree(*gpu, *cpu, sets.train) == 3);   // 5, 5 and a smaller last batch
        test::check_weights_agree(g, gpu->state(), cpu->state(), adam.lr, 3);
    }
    test::require_no_validation_messages();
}

TEST_CASE("the same seed gives the same weights bit for bit, and a resumed run equals an uninterrupted one",
          "[gpu][training][determinism]") {
    auto& ctx = test::gpu();
    test::ScratchDir a, b, c;
    NullLog log;
    train::train(test::tiny_run(a.path), &ctx, log.f);
    train::train(test::tiny_run(c.path), &ctx, log.f);
    auto first = test::tiny_run(b.path);
    first.epochs = 1;
    train::train(first, &ctx, log.f);
    auto resumed = test::tiny_run(b.path);
    resumed.resume = true;
    auto summary = train::train(resumed, &ctx, log.f);
    REQUIRE(summary.epochs.size() == 2);   // the first epoch comes from metrics.jsonl
    auto ca = io::read_safetensors(a / "checkpoint.safetensors");
    auto cb = io::read_safetensors(b / "checkpoint.safetensors");
    auto cc = io::read_safetensors(c / "checkpoint.safetensors");
    CHECK(ca.tensors == cc.tensors);
    CHECK(ca.tensors == cb.tensors);
    CHECK(ca.tensors.at("downconv1.1.num_batches_tracked").i64().at(0) == 6);
    CHECK(io::read_safetensors(a / "train_state.safetensors").tensors == io::read_safetensors(b / "train_state.safetensors").tensors);
    for (const char* f : {"metrics.jsonl", "training_curve.png", "train_2.png", "val_2.png", "train_state.safetensors"})
        CHECK(std::filesystem::exists(b / f));
    test::require_no_validation_messages();
}

TEST_CASE("checkpoints round-trip exactly and carry the model and palette", "[training][checkpoint]") {
    test::ScratchDir dir;
    model::ModelConfig config{.model = "cnn", .num_filters = 8, .kernel = 5, .colours = 24};
    model::Graph g = model::build_preset(config);
    train::Checkpoint c{config, data::default_palette(), model::init_parameters(g, 7), 3};
    c.state.batches_tracked = 150;
    train::save_checkpoint(dir / "c.safetensors", c);
    auto back = train::load_checkpoint(dir / "c.safetensors");
    CHECK(back.config.model == "cnn");
    CHECK(back.config.kernel == 5);
    CHECK(back.config.num_filters == 8);
    CHECK(back.epochs_trained == 3);
    CHECK(back.palette == c.palette);
    CHECK(back.state.batches_tracked == 150);
    REQUIRE(back.state.tensors.size() == c.state.tensors.size());
    for (const auto& [name, t] : c.state.tensors) {
        CHECK(back.state.at(name).shape == t.shape);
        CHECK(back.state.at(name).data == t.data);
    }
    // PyTorch's names and shapes, as a state_dict has them.
    auto raw = io::read_safetensors(dir / "c.safetensors");
    CHECK(raw.tensors.at("downconv1.0.weight").shape == std::vector<uint64_t>{8, 1, 5, 5});
    CHECK(raw.tensors.at("downconv1.0.bias").shape == std::vector<uint64_t>{8});
    CHECK(raw.tensors.at("upconv2.1.running_var").shape == std::vector<uint64_t>{24});
    CHECK(raw.tensors.at("rfconv.1.num_batches_tracked").shape.empty());
}

TEST_CASE("images of any size are coloured and keep their size", "[gpu][training][infer]") {
    auto& ctx = test::gpu();
    model::ModelConfig config{.model = "unet", .num_filters = 4};
    train::Checkpoint c{config, data::default_palette(), model::init_parameters(model::build_preset(config), 0), 0};
    train::Colorizer gpu(c, &ctx), cpu(c, nullptr);
    HostTensor image = check::random_tensor({1, 3, 200, 300}, 5, 0.0f, 0.99f);
    const data::PhotoOutput raw{.raw = true};
    HostTensor out = gpu.colorize(image, raw);
    CHECK(out.shape == Shape{1, 3, 200, 300});
    // Every pixel is a palette colour, and the CPU reference colours it the same way.
    HostTensor ref = cpu.colorize(image, raw);
    size_t same = 0;
    for (size_t i = 0; i < out.data.size(); ++i) same += out.data[i] == ref.data[i];
    CHECK(same >= out.data.size() * 999 / 1000);   // a near-tie of two logits may flip a pixel
    // The photo's luminance with the predicted colour: close on both backends (no argmax here).
    HostTensor photo = gpu.colorize(image), photo_ref = cpu.colorize(image);
    REQUIRE(photo.shape == Shape{1, 3, 200, 300});
    CHECK(check::relative_error(photo.data, photo_ref.data) < 1e-4);
    HostTensor odd = check::random_tensor({1, 1, 7, 5}, 6, 0.0f, 0.99f);   // grey, not a multiple of 4
    CHECK(gpu.colorize(odd).shape == Shape{1, 3, 7, 5});
    test::require_no_validation_messages();
}

TEST_CASE("two epochs on CIFAR-10 horses lower the validation loss", "[gpu][training][cifar]") {
    auto dir = test::horse_data_dir();
    auto& ctx = test::gpu();
    test::ScratchDir out;
    NullLog log;
    train::TrainOptions o;
    o.model = {.model = "unet", .num_filters = 8};
    o.data = dir.string();
    o.train_limit = 400;
    o.validation_limit = 100;
    o.batch = 50;
    o.epochs = 2;
    o.out = out.path;
    o.progress = false;
    // The loss of the untrained network on the same validation images.
    std::string description;
    auto sets = train::load_training_data(o, data::default_palette(), description);
    model::Graph g = model::build_preset(o.model);
    auto untrained = train::make_gpu_backend(ctx, g, model::init_parameters(g, 0), {})->evaluate(sets.validation, 50);
    double initial = (untrained[0].loss + untrained[1].loss) / 2;
    auto summary = train::train(o, &ctx, log.f);
    REQUIRE(summary.epochs.size() == 2);
    INFO("untrained " << initial << ", epoch 1 " << summary.epochs[0].val_loss << ", epoch 2 " << summary.epochs[1].val_loss);
    CHECK(summary.epochs[1].val_loss < initial);
    CHECK(summary.epochs[1].val_loss < summary.epochs[0].val_loss);
    CHECK(summary.epochs[1].val_accuracy > 10.0);
    test::require_no_validation_messages();
}

TEST_CASE("a training state saved on the CPU holds the step words the GPU would, so it resumes there",
          "[gpu][training][resume]") {
    auto& ctx = test::gpu();
    model::ModelConfig config{.model = "cnn", .num_filters = 4};
    auto sets = test::small_sets(12, 4, config);
    model::Graph g = model::build_preset(config);
    auto init = model::init_parameters(g, 1);
    optim::OptimizerConfig adam;
    auto gpu = train::make_gpu_backend(ctx, g, init, adam);
    auto cpu = train::make_cpu_backend(g, init, adam);
    gpu->train_epoch(sets.train, 5, nullptr);
    cpu->train_epoch(sets.train, 5, nullptr);
    auto wg = gpu->train_state().optimizer_state.step_state, wc = cpu->train_state().optimizer_state.step_state;
    REQUIRE(wg.size() == wc.size());
    CHECK(wc[1] == 3);   // t
    CHECK(wg[1] == wc[1]);
    auto as_float = [](uint32_t w) {
        float f;
        std::memcpy(&f, &w, sizeof f);
        return f;
    };
    for (size_t i : {0, 2, 3, 4, 5}) {   // lr, the bias corrections, lr / c1, sqrt(c2)
        INFO("word " << i);
        CHECK(as_float(wc[i]) == Approx(as_float(wg[i])).epsilon(1e-6));
        CHECK(as_float(wc[i]) > 0);
    }
    test::require_no_validation_messages();
}
