// Model graphs: the CSC321 presets have PyTorch's state_dict names, shapes and parameter counts.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "vkcolor/model/graph.hpp"

using namespace vkcolor;
using namespace vkcolor::model;

TEST_CASE("presets match the PyTorch models' parameter counts and names", "[graph]") {
    // Counts from tools/torch/colourizers.py (sum of p.numel() over parameters; 37 state_dict entries).
    struct Expect { const char* model; size_t trainable; };
    for (auto e : {Expect{"regression", 75549}, Expect{"cnn", 86784}, Expect{"unet", 112344}}) {
        INFO(e.model);
        Graph g = build_preset({.model = e.model});
        CHECK(g.trainable_count() == e.trainable);
        auto params = g.parameters();
        CHECK(params.size() == 37);
        CHECK(params.front().name == "downconv1.0.weight");
        CHECK(params.front().shape == std::vector<int64_t>{32, 1, 3, 3});
        CHECK(params[6].name == "downconv1.1.num_batches_tracked");
        CHECK(params[6].shape.empty());
        CHECK(params.back().name == "finalconv.bias");
    }
    auto unet = build_preset({.model = "unet"}).parameters();
    auto find = [&](const std::string& name) {
        for (auto& p : unet)
            if (p.name == name) return p.shape;
        FAIL("no parameter " << name);
        return std::vector<int64_t>{};
    };
    CHECK(find("upconv1.0.weight") == std::vector<int64_t>{32, 128, 3, 3});
    CHECK(find("upconv2.0.weight") == std::vector<int64_t>{24, 64, 3, 3});
    CHECK(find("finalconv.weight") == std::vector<int64_t>{24, 25, 3, 3});
}

TEST_CASE("shape inference follows the data through the UNet", "[graph]") {
    Graph g = build_preset({.model = "unet"});
    auto s = g.infer_shapes({100, 1, 32, 32});
    CHECK(s.at("downconv1.3") == Shape{100, 32, 16, 16});
    CHECK(s.at("downconv2.3") == Shape{100, 64, 8, 8});
    CHECK(s.at("rfconv.2") == Shape{100, 64, 8, 8});
    CHECK(s.at("cat_out3_out2") == Shape{100, 128, 8, 8});
    CHECK(s.at("upconv1.3") == Shape{100, 32, 16, 16});
    CHECK(s.at("cat_out5_x") == Shape{100, 25, 32, 32});
    CHECK(s.at("finalconv") == Shape{100, 24, 32, 32});
    CHECK(g.spatial_multiple() == 4);
    // Any size that is a multiple of 4 works (the nets are fully convolutional)...
    CHECK(g.infer_shapes({1, 1, 200, 300}).at("finalconv") == Shape{1, 24, 200, 300});
    // ...and others are refused with a clear message.
    CHECK_THROWS_WITH(g.infer_shapes({1, 1, 30, 30}), Catch::Contains("pad it to a multiple of 4"));
    CHECK_THROWS_WITH(g.infer_shapes({1, 3, 32, 32}), Catch::Contains("takes 1 input channel"));
}

TEST_CASE("dunet dilates the receptive-field conv and keeps the size", "[graph]") {
    Graph g = build_preset({.model = "dunet", .dilation = 3});
    const Node& rf = g.node("rfconv.0");
    CHECK(rf.dilation == 3);
    CHECK(rf.padding == 3);
    CHECK(g.infer_shapes({2, 1, 32, 32}).at("rfconv.2") == Shape{2, 64, 8, 8});
}

TEST_CASE("bad model settings are refused", "[graph]") {
    CHECK_THROWS_WITH(build_preset({.model = "resnet"}), Catch::Contains("unknown model 'resnet'"));
    CHECK_THROWS_WITH(build_preset({.model = "cnn", .kernel = 4}), Catch::Contains("must be odd"));
    CHECK_THROWS_WITH(build_preset({.model = "cnn", .num_filters = 0}), Catch::Contains("--num-filters"));
    Graph g = build_preset({.model = "cnn", .num_filters = 8, .kernel = 5, .colours = 10});
    CHECK(g.out_channels == 10);
    CHECK(g.node("downconv1.0").padding == 2);
}

#include "vkcolor/model/parameters.hpp"

TEST_CASE("parameters are initialised as PyTorch does, deterministically", "[graph][init]") {
    Graph g = build_preset({.model = "unet"});
    StateDict a = init_parameters(g, 0), b = init_parameters(g, 0), c = init_parameters(g, 1);
    CHECK(a.tensors.size() == 37 - 5);   // every entry but the five num_batches_tracked
    CHECK(a.at("upconv1.0.weight").shape == Shape{32, 128, 3, 3});
    CHECK(a.at("upconv1.0.bias").shape == Shape{1, 32, 1, 1});
    CHECK(a.at("downconv1.0.weight").data == b.at("downconv1.0.weight").data);
    CHECK(a.at("downconv1.0.weight").data != c.at("downconv1.0.weight").data);
    // U(-1/sqrt(fan_in), 1/sqrt(fan_in)): fan_in 128*9 for upconv1, 1*9 for downconv1.
    auto check_bound = [&](const std::string& name, double bound) {
        double lo = 0, hi = 0;
        for (float v : a.at(name).data) lo = std::min(lo, double(v)), hi = std::max(hi, double(v));
        CHECK(hi <= bound);
        CHECK(lo >= -bound);
        if (a.at(name).data.size() > 200) {   // and a large tensor actually uses the range
            CHECK(hi > 0.9 * bound);
            CHECK(lo < -0.9 * bound);
        }
    };
    check_bound("upconv1.0.weight", 1.0 / std::sqrt(128.0 * 9));
    check_bound("downconv1.0.weight", 1.0 / 3.0);
    check_bound("finalconv.bias", 1.0 / std::sqrt(25.0 * 9));
    for (float v : a.at("rfconv.1.weight").data) CHECK(v == 1.0f);
    for (float v : a.at("rfconv.1.running_var").data) CHECK(v == 1.0f);
    for (float v : a.at("rfconv.1.bias").data) CHECK(v == 0.0f);
    CHECK(a.batches_tracked == 0);
}

#include "vkcolor/model/plan.hpp"

TEST_CASE("the plan sums the gradients of the UNet's skips and skips the image's", "[graph][plan]") {
    Graph g = build_preset({.model = "unet"});
    Plan p = make_plan(g);
    CHECK(p.forward.size() == g.nodes.size() + 1);
    CHECK(p.forward.back().kind == Step::Kind::Loss);
    CHECK(p.backward.back().kind == Step::Kind::Optimizer);
    std::vector<std::string> adds;
    for (const auto& s : p.backward)
        if (s.kind == Step::Kind::AddGrads) adds.push_back(s.a + "+" + s.b + "->" + s.out);
    // out1 (downconv1.3) feeds downconv2 and the second skip; out2 feeds rfconv and the first.
    CHECK(adds == std::vector<std::string>{"grad:downconv2.3#0+grad:downconv2.3#1->grad:downconv2.3",
                                           "grad:downconv1.3#0+grad:downconv1.3#1->grad:downconv1.3"});
    for (const auto& s : p.backward) {
        if (s.kind != Step::Kind::Backward) continue;
        const Node& n = g.nodes[s.node];
        if (n.name == "downconv1.0") CHECK(s.input_grads == std::vector<std::string>{""});   // the image
        if (n.name == "cat_out5_x") CHECK(s.input_grads == std::vector<std::string>{"grad:upconv2.3", "discard:cat_out5_x"});
        if (n.name == "cat_out3_out2") CHECK(s.input_grads == std::vector<std::string>{"grad:rfconv.2", "grad:downconv2.3#1"});
        if (n.name == "rfconv.0") CHECK(s.input_grads == std::vector<std::string>{"grad:downconv2.3#0"});
    }
    // The parts are written before they are summed.
    auto position = [&](const std::string& written) {
        for (size_t i = 0; i < p.backward.size(); ++i)
            for (const auto& d : p.backward[i].input_grads)
                if (d == written) return i;
        return p.backward.size();
    };
    for (size_t i = 0; i < p.backward.size(); ++i)
        if (p.backward[i].kind == Step::Kind::AddGrads) {
            CHECK(position(p.backward[i].a) < i);
            CHECK(position(p.backward[i].b) < i);
        }
}

TEST_CASE("a plain chain needs no gradient sums", "[graph][plan]") {
    Plan p = make_plan(build_preset({.model = "cnn"}));
    for (const auto& s : p.backward) CHECK(s.kind != Step::Kind::AddGrads);
}

TEST_CASE("settings past their limits are refused before anything is sized by them", "[graph]") {
    using Catch::Contains;
    auto refused = [](model::ModelConfig c, const std::string& what) {
        INFO(what);
        CHECK_THROWS_WITH(model::build_preset(c), Contains(what));
    };
    refused({.model = "unet", .num_filters = 4294967295u}, "--num-filters 4294967295 is above the limit");
    refused({.model = "unet", .kernel = 33}, "--kernel 33 is above the limit");
    refused({.model = "dunet", .dilation = 100000}, "--dilation 100000 is above the limit");
    refused({.model = "unet", .colours = 5000}, "--colours 5000 is above the limit");
    // Settings the model does not use are checked too: they come from checkpoints as well.
    refused({.model = "unet", .latent = 4294967295u}, "--latent 4294967295 is above the limit");
    model::ModelConfig enc{.model = "autoencoder", .loss = "mse"};
    enc.encoder = {8, 4294967295u};
    refused(enc, "--encoder channel count 4294967295 is above the limit");
    enc.encoder = std::vector<uint32_t>(9, 8);
    refused(enc, "the number of --encoder levels 9 is above the limit");
    // Each setting within its limit, the whole too big: refused by its parameter count.
    refused({.model = "unet", .num_filters = 4096, .kernel = 31}, "parameters, above the limit of 268435456");
    CHECK_NOTHROW(model::build_preset({.model = "unet", .num_filters = 64, .kernel = 5}));
}
