// The related systems (issue #5): each preset or variant trains a few steps on the GPU scheduler
// and on the CPU reference and the two agree; their tasks make the right inputs and targets; their
// checkpoints rebuild the same model; infer runs them.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>

#include "data_helpers.hpp"
#include "gpu_fixture.hpp"
#include "training_helpers.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/data/synthetic.hpp"
#include "vkcolor/train/backend.hpp"
#include "vkcolor/train/checkpoint.hpp"
#include "vkcolor/train/colorize.hpp"

using namespace vkcolor;

namespace {

struct System {
    const char* what;
    model::ModelConfig config;
};

std::vector<System> systems() {
    using model::ModelConfig;
    return {
        {"super-resolution unet", ModelConfig{.model = "unet", .num_filters = 4, .task = "superres"}},
        {"super-resolution cnn", ModelConfig{.model = "cnn", .num_filters = 4, .task = "superres"}},
        {"unet, L1 RGB head", ModelConfig{.model = "unet", .num_filters = 4, .loss = "l1"}},
        {"unet, MSE RGB head", ModelConfig{.model = "unet", .num_filters = 4, .loss = "mse"}},
        {"unet, LeakyReLU", ModelConfig{.model = "unet", .num_filters = 4, .activation = "leaky", .negative_slope = 0.2f}},
        {"attention unet", ModelConfig{.model = "attention_unet", .num_filters = 4}},
        {"cs520, luma grey", ModelConfig{.model = "cs520", .num_filters = 4, .grey = "luma", .dropout = 0.3f, .latent = 16}},
        {"autoencoder", ModelConfig{.model = "autoencoder", .encoder = {4, 6}}},
        {"ycbcr", ModelConfig{.model = "ycbcr", .num_filters = 8}},
    };
}

} // namespace

TEST_CASE("each related system trains the same on the GPU and the CPU reference", "[gpu][training][systems]") {
    auto& ctx = test::gpu();
    for (const auto& s : systems()) {
        INFO(s.what);
        model::Graph g = model::build_preset(s.config);
        auto sets = test::small_sets(12, 4, s.config);
        auto init = model::init_parameters(g, 1);
        // Adam turns any gradient, however tiny, into a step of about lr (m / sqrt(v) = sign(g) at
        // first), so float rounding in a gradient near 0 becomes a full step of either sign. A
        // large eps keeps steps proportional to gradients smaller than it, so the comparison
        // checks the scheduler rather than that amplification (test_training.cpp covers default Adam).
        optim::OptimizerConfig adam;
        adam.eps = 1e-4;
        auto gpu = train::make_gpu_backend(ctx, g, init, adam);
        auto cpu = train::make_cpu_backend(g, init, adam);
        auto eg = gpu->evaluate(sets.validation, 4), ec = cpu->evaluate(sets.validation, 4);
        CHECK(std::fabs(eg[0].loss - ec[0].loss) <= 1e-5 * std::fabs(ec[0].loss));
        REQUIRE(test::check_training_steps_agree(*gpu, *cpu, sets.train) == 3);   // 5, 5 and a smaller last batch
        test::check_weights_agree(g, gpu->state(), cpu->state(), adam.lr, 3);
    }
    test::require_no_validation_messages();
}

TEST_CASE("systems' checkpoints keep their settings and colour images", "[gpu][training][systems][checkpoint]") {
    auto& ctx = test::gpu();
    test::ScratchDir dir;
    for (const auto& s : systems()) {
        INFO(s.what);
        model::Graph g = model::build_preset(s.config);
        train::Checkpoint c{s.config, data::default_palette(), model::init_parameters(g, 2), 1};
        train::save_checkpoint(dir / "c.safetensors", c);
        auto back = train::load_checkpoint(dir / "c.safetensors");
        CHECK(back.config.task == s.config.task);
        CHECK(back.config.activation == s.config.activation);
        CHECK(back.config.negative_slope == s.config.negative_slope);
        CHECK(back.config.grey == s.config.grey);
        CHECK(back.config.encoder == s.config.encoder);
        CHECK(back.config.latent == s.config.latent);
        CHECK(model::resolved_loss(back.config) == model::resolved_loss(s.config));
        CHECK(model::build_preset(back.config).trainable_count() == g.trainable_count());
        // A 32x32 colour image in, a 32x32 RGB picture out, the same on both backends.
        train::Colorizer gpu(back, &ctx), cpu(back, nullptr);
        HostTensor image = data::synthetic_scenes(1, 9);
        HostTensor a = gpu.colorize(image), b = cpu.colorize(image);
        REQUIRE(a.shape == Shape{1, 3, 32, 32});
        size_t close = 0;
        for (size_t i = 0; i < a.data.size(); ++i) close += std::fabs(a.data[i] - b.data[i]) < 1e-4;
        CHECK(close >= a.data.size() * 99 / 100);   // a near-tie of two logits may flip a class
    }
    test::require_no_validation_messages();
}

TEST_CASE("a model with a dense layer refuses other image sizes clearly", "[gpu][systems][infer]") {
    auto& ctx = test::gpu();
    model::ModelConfig config{.model = "cs520", .num_filters = 4, .latent = 8};
    train::Checkpoint c{config, data::default_palette(), model::init_parameters(model::build_preset(config), 0), 0};
    train::Colorizer gpu(c, &ctx);
    REQUIRE_ERROR_CONTAINS(gpu.colorize(HostTensor(Shape{1, 3, 48, 64})), "takes only 32x32 images");
}

TEST_CASE("presets refuse settings that make no sense, naming them", "[graph][systems]") {
    using model::ModelConfig;
    REQUIRE_ERROR_CONTAINS(model::build_preset(ModelConfig{.model = "ycbcr", .loss = "ce"}), "use --loss mse or l1");
    REQUIRE_ERROR_CONTAINS(model::build_preset(ModelConfig{.model = "autoencoder", .task = "superres"}), "own task");
    REQUIRE_ERROR_CONTAINS(model::build_preset(ModelConfig{.model = "autoencoder", .encoder = {}}), "--encoder");
    REQUIRE_ERROR_CONTAINS(model::build_preset(ModelConfig{.model = "autoencoder", .encoder = {4, 0}}), "at least 1");
    REQUIRE_ERROR_CONTAINS(model::build_preset(ModelConfig{.model = "cs520", .dropout = 1.0f}), "--dropout");
    REQUIRE_ERROR_CONTAINS(model::build_preset(ModelConfig{.model = "unet", .loss = "huber"}), "unknown --loss");
    CHECK(model::latent_description(ModelConfig{.model = "autoencoder", .encoder = {8, 12, 16}}) == "16x4x4");
}

TEST_CASE("attention gates sit on the UNet's feature skips", "[graph][systems]") {
    model::Graph g = model::build_preset({.model = "attention_unet"});
    auto shapes = g.infer_shapes({2, 1, 32, 32});
    CHECK(shapes.at("att1.alpha") == Shape{2, 1, 8, 8});
    CHECK(shapes.at("att1.gate") == Shape{2, 64, 8, 8});
    CHECK(shapes.at("att2.gate") == Shape{2, 32, 16, 16});
    CHECK(g.node("cat_out3_out2").inputs == std::vector<std::string>{"rfconv.2", "att1.gate"});
    CHECK(g.node("cat_out4_out1").inputs == std::vector<std::string>{"upconv1.3", "att2.gate"});
    // The plain UNet's parameters plus the gates': theta (no bias), phi and psi 1x1 convs.
    size_t gates = (64 * 32) + (64 * 32 + 32) + (32 + 1) + (32 * 16) + (32 * 16 + 16) + (16 + 1);
    CHECK(g.trainable_count() == model::build_preset({.model = "unet"}).trainable_count() + gates);
}
