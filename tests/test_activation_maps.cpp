// Looking inside a model: the feature-map mosaic, the hidden blocks of the presets, the
// backends' activations and per-batch evaluation outputs, and `vkcolor activations`.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <map>

#include "cli_helpers.hpp"
#include "data_helpers.hpp"
#include "gpu_fixture.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/data/synthetic.hpp"
#include "vkcolor/io/image.hpp"
#include "vkcolor/model/parameters.hpp"
#include "vkcolor/report/feature_mosaic.hpp"
#include "vkcolor/train/activations.hpp"
#include "vkcolor/train/backend.hpp"

using namespace vkcolor;
using Catch::Contains;

namespace {

data::TrainValidation small_sets(uint32_t train, uint32_t validation) {
    return data::make_train_validation(data::synthetic_scenes(train, 5), data::synthetic_scenes(validation, 5, train),
                                       data::default_palette());
}

// The RGB of a mosaic pixel.
std::array<float, 3> pixel(const HostTensor& img, uint32_t x, uint32_t y) {
    return {img.at(0, 0, y, x), img.at(0, 1, y, x), img.at(0, 2, y, x)};
}

std::array<float, 3> grey(float v) { return {v, v, v}; }

} // namespace

TEST_CASE("feature_mosaic: tiles 4 to a row, 1-pixel borders, each map scaled to [0, 1] on its own", "[activations]") {
    // 5 maps of 2 x 3: a ramp 0..5, the ramp negated and shifted, a constant, and two more.
    HostTensor maps(Shape{1, 5, 2, 3});
    for (uint32_t i = 0; i < 6; ++i) {
        maps.data[i] = float(i);                // map 0: 0 1 2 / 3 4 5
        maps.data[6 + i] = -10.0f - 2.0f * i;   // map 1: decreasing, negative
        maps.data[12 + i] = 7.0f;               // map 2: constant
        maps.data[18 + i] = i == 4 ? 1.0f : 0.0f;
        maps.data[24 + i] = float(i % 2);
    }
    const uint32_t zoom = 2;
    HostTensor m = report::feature_mosaic(maps, zoom);
    // 4 columns of 6-pixel tiles and 2 rows of 4-pixel tiles, with borders between and around.
    REQUIRE(m.shape == Shape{1, 3, 2 * (4 + 1) + 1, 4 * (6 + 1) + 1});
    const auto border = report::k_mosaic_border;
    const std::array<float, 3> b{border[0], border[1], border[2]};
    for (uint32_t x = 0; x < m.shape.w; ++x) {   // top, middle and bottom border rows
        CHECK(pixel(m, x, 0) == b);
        CHECK(pixel(m, x, 5) == b);
        CHECK(pixel(m, x, 10) == b);
    }
    for (uint32_t y = 0; y < m.shape.h; ++y)   // left border, between tiles 0 and 1, right border
        for (uint32_t x : {0u, 7u, 28u}) CHECK(pixel(m, x, y) == b);
    // Map 0 at the top left: pixel (x, y) of the tile is map value (x / zoom, y / zoom), scaled by 1/5.
    for (uint32_t y = 0; y < 4; ++y)
        for (uint32_t x = 0; x < 6; ++x) {
            INFO(x << "," << y);
            CHECK(pixel(m, 1 + x, 1 + y) == grey(float((y / zoom) * 3 + x / zoom) / 5.0f));
        }
    CHECK(pixel(m, 8, 1) == grey(1.0f));    // map 1's largest value is its first
    CHECK(pixel(m, 13, 4) == grey(0.0f));   // and its smallest its last
    for (uint32_t y = 1; y < 5; ++y)
        for (uint32_t x = 15; x < 21; ++x) CHECK(pixel(m, x, y) == grey(0.0f));   // the constant map is black
    CHECK(pixel(m, 22 + 2, 1 + 2) == grey(1.0f));   // map 3's single 1 at (1, 1)
    CHECK(pixel(m, 22, 1) == grey(0.0f));
    CHECK(pixel(m, 1 + 2, 6) == grey(1.0f));   // map 4 starts the second row
    CHECK(pixel(m, 1, 6) == grey(0.0f));
    for (uint32_t y = 6; y < 10; ++y)   // the unused cells of the second row are border colour
        for (uint32_t x = 8; x < 28; ++x) CHECK(pixel(m, x, y) == b);

    // Fewer maps than a row: as many columns as maps.
    HostTensor two(Shape{1, 2, 3, 3}, 1.0f);
    CHECK(report::feature_mosaic(two, 1).shape == Shape{1, 3, 5, 9});
    CHECK_THROWS_AS(report::feature_mosaic(HostTensor(Shape{2, 2, 3, 3}), 1), Error);
    CHECK_THROWS_AS(report::feature_mosaic(two, 0), Error);
}

TEST_CASE("hidden blocks are the presets' top-level modules, without concatenations and the output", "[activations]") {
    using Blocks = std::vector<std::pair<std::string, std::string>>;
    auto names = [](const char* model) {
        Blocks out;
        for (const auto& b : train::hidden_blocks(model::build_preset({.model = model, .num_filters = 4})))
            out.push_back({b.name, b.node});
        return out;
    };
    const Blocks want{{"downconv1", "downconv1.3"}, {"downconv2", "downconv2.3"}, {"rfconv", "rfconv.2"},
                      {"upconv1", "upconv1.3"}, {"upconv2", "upconv2.3"}};
    for (const char* model : {"regression", "cnn", "unet", "dunet"}) {
        INFO(model);
        CHECK(names(model) == want);
    }
    // Blocks of other shapes: attention gates between, and a bottleneck of linear layers whose
    // last node is a reshape back to maps; the final block loses its last (output) node.
    CHECK(names("attention_unet") == Blocks{{"downconv1", "downconv1.3"}, {"downconv2", "downconv2.3"}, {"rfconv", "rfconv.2"},
                                            {"att1", "att1.gate"}, {"upconv1", "upconv1.3"}, {"att2", "att2.gate"},
                                            {"upconv2", "upconv2.3"}});
    CHECK(names("cs520") == Blocks{{"enc1", "enc1.3"}, {"enc2", "enc2.3"}, {"enc3", "enc3.3"}, {"bottleneck", "bottleneck.reshape"},
                                   {"dec1", "dec1.3"}, {"dec2", "dec2.3"}, {"dec3", "dec3.0"}});
}

TEST_CASE("activation pictures: files, sizes and what they show", "[activations]") {
    model::ModelConfig config{.model = "unet", .num_filters = 4};
    auto graph = model::build_preset(config);
    auto backend = train::make_cpu_backend(graph, model::init_parameters(graph, 2), {});
    auto sets = small_sets(4, 3);
    auto pictures = train::activation_pictures(*backend, graph, model::task_of(config), data::default_palette(),
                                               sets.validation.batch(2, 1), 3);
    std::map<std::string, std::pair<Shape, std::string>> got;
    for (const auto& p : pictures) got[p.file] = {p.image.shape, p.description};
    // 4 filters: downconv1 4 maps of 16x16, downconv2 and rfconv 8 of 8x8, upconv1 4 of 16x16,
    // upconv2 24 (the colours) of 32x32; tiles zoomed 3 times.
    const std::map<std::string, std::pair<Shape, std::string>> want{
        {"input.png", {{1, 1, 96, 96}, "grey input, 32x32"}},
        {"ground_truth.png", {{1, 3, 96, 96}, "true colours, 32x32"}},
        {"ground_truth_quantised.png", {{1, 3, 96, 96}, "true colours in the 24-colour palette, 32x32"}},
        {"output.png", {{1, 3, 96, 96}, "prediction as RGB, 32x32"}},
        {"01_downconv1.png", {{1, 3, 1 * 49 + 1, 4 * 49 + 1}, "4 maps of 16x16"}},
        {"02_downconv2.png", {{1, 3, 2 * 25 + 1, 4 * 25 + 1}, "8 maps of 8x8"}},
        {"03_rfconv.png", {{1, 3, 2 * 25 + 1, 4 * 25 + 1}, "8 maps of 8x8"}},
        {"04_upconv1.png", {{1, 3, 1 * 49 + 1, 4 * 49 + 1}, "4 maps of 16x16"}},
        {"05_upconv2.png", {{1, 3, 6 * 97 + 1, 4 * 97 + 1}, "24 maps of 32x32"}},
    };
    CHECK(got == want);
    CHECK(pictures.size() == want.size());

    // Another task: Y in, Cb and Cr out. No palette picture; the prediction is RGB from the input's Y.
    model::ModelConfig ycbcr{.model = "ycbcr", .num_filters = 4};
    auto yg = model::build_preset(ycbcr);
    auto ybackend = train::make_cpu_backend(yg, model::init_parameters(yg, 2), {});
    data::DatasetOptions opts;
    opts.task = model::task_of(ycbcr);
    auto ysets = data::make_train_validation(data::synthetic_scenes(1, 5), data::synthetic_scenes(3, 5, 1), data::default_palette(), opts);
    std::map<std::string, std::pair<Shape, std::string>> ygot;
    for (const auto& p : train::activation_pictures(*ybackend, yg, opts.task, data::default_palette(), ysets.validation.batch(0, 1), 1))
        ygot[p.file] = {p.image.shape, p.description};
    CHECK(ygot.at("input.png") == std::pair{Shape{1, 1, 32, 32}, std::string("Y (luma) input, 32x32")});
    CHECK(ygot.at("output.png").first == Shape{1, 3, 32, 32});
    CHECK(ygot.count("ground_truth_quantised.png") == 0);
    CHECK(ygot.count("01_conv1.png") == 1);
    CHECK(ygot.size() == 3 + train::hidden_blocks(yg).size());
}

TEST_CASE("the GPU gives the CPU reference's activations", "[gpu][activations]") {
    auto& ctx = test::gpu();
    auto graph = model::build_preset({.model = "unet", .num_filters = 4});
    auto init = model::init_parameters(graph, 3);
    auto gpu = train::make_gpu_backend(ctx, graph, init, {});
    auto cpu = train::make_cpu_backend(graph, init, {});
    HostTensor grey = small_sets(1, 2).validation.batch(1, 1).input;
    std::vector<std::string> nodes{"downconv1.0", "downconv1.3", "rfconv.2", "cat_out4_out1", "upconv2.3", "finalconv"};
    auto g = gpu->activations(grey, nodes), c = cpu->activations(grey, nodes);
    REQUIRE(g.size() == nodes.size());
    for (size_t i = 0; i < nodes.size(); ++i) {
        INFO(nodes[i]);
        CHECK(g[i].shape == c[i].shape);
        CHECK(check::relative_error(g[i].data, c[i].data) < check::k_backward_tolerance);   // several layers deep
    }
    CHECK(c[1].shape == Shape{1, 4, 16, 16});
    CHECK(c.back().data == cpu->predict(grey).data);
    CHECK_THROWS_WITH(cpu->activations(grey, {"nope.0"}), Contains("no node 'nope.0'"));
    CHECK_THROWS_WITH(gpu->activations(grey, {"nope.0"}), Contains("no node 'nope.0'"));
    test::require_no_validation_messages();
}

TEST_CASE("evaluate hands every batch its own output, in order, on the GPU and the CPU", "[gpu][activations][training]") {
    // On the GPU, two slots share the activations: by the time a batch is collected the next one
    // may have overwritten them, so each slot keeps its own copy of the output. Five batches (the
    // last one smaller) run through both slots and two pass shapes.
    auto& ctx = test::gpu();
    auto graph = model::build_preset({.model = "cnn", .num_filters = 4});
    auto init = model::init_parameters(graph, 4);
    auto sets = small_sets(1, 18);
    const uint32_t batch = 4;
    for (bool on_gpu : {true, false}) {
        INFO((on_gpu ? "GPU" : "CPU"));
        auto backend = on_gpu ? train::make_gpu_backend(ctx, graph, init, {}) : train::make_cpu_backend(graph, init, {});
        std::vector<uint32_t> order;
        std::vector<HostTensor> outputs;
        auto results = backend->evaluate(sets.validation, batch, [&](uint32_t b, const HostTensor& out) {
            order.push_back(b);
            outputs.push_back(out);
        });
        CHECK(results.size() == 5);
        CHECK(order == std::vector<uint32_t>{0, 1, 2, 3, 4});
        REQUIRE(outputs.size() == 5);
        for (uint32_t b = 0; b < 5; ++b) {
            INFO("batch " << b);
            HostTensor want = backend->predict(sets.validation.batch(b, batch).input);
            REQUIRE(outputs[b].shape == want.shape);
            CHECK(check::relative_error(outputs[b].data, want.data) < 1e-6);
        }
    }
    test::require_no_validation_messages();
}

TEST_CASE("vkcolor activations writes the pictures of the shipped UNet and refuses bad input", "[cli][activations]") {
    test::ScratchDir dir;
    const std::string ckpt = std::string(VKCOLOR_SOURCE_DIR) + "/assets/unet_horse.safetensors";
    const std::string base = "activations --backend cpu --checkpoint " + ckpt + " --data synthetic --index 3 --zoom 2 --out ";
    auto r = test::run_vkcolor(base + (dir / "out").string());
    INFO(r.out);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Contains("wrote " + (dir / "out" / "01_downconv1.png").string() + " (32 maps of 16x16)"));
    CHECK_THAT(r.out, Contains("wrote " + (dir / "out" / "05_upconv2.png").string() + " (24 maps of 32x32)"));
    CHECK(test::line_count(r.out) == 1 + 9);   // what was loaded, then one line per file
    // 32 filters: 16x16 maps zoomed twice are 32-pixel tiles, 8x8 maps 16-pixel ones.
    const std::map<std::string, Shape> want{
        {"input.png", {1, 3, 64, 64}},   // grey PNGs load as RGB
        {"ground_truth.png", {1, 3, 64, 64}},
        {"ground_truth_quantised.png", {1, 3, 64, 64}},
        {"output.png", {1, 3, 64, 64}},
        {"01_downconv1.png", {1, 3, 8 * 33 + 1, 4 * 33 + 1}},
        {"02_downconv2.png", {1, 3, 16 * 17 + 1, 4 * 17 + 1}},
        {"03_rfconv.png", {1, 3, 16 * 17 + 1, 4 * 17 + 1}},
        {"04_upconv1.png", {1, 3, 8 * 33 + 1, 4 * 33 + 1}},
        {"05_upconv2.png", {1, 3, 6 * 65 + 1, 4 * 65 + 1}},
    };
    std::map<std::string, Shape> got;
    for (const auto& e : std::filesystem::directory_iterator(dir / "out"))
        got[e.path().filename().string()] = io::load_image(e.path()).shape;
    CHECK(got == want);
    HostTensor input = io::load_image(dir / "out" / "input.png");
    CHECK(input.data[0] == input.data[64 * 64]);   // grey: R = G

    auto expect_error = [](const std::string& args, const std::string& message, const std::string& also = "") {
        auto e = test::run_vkcolor(args);
        INFO(args << "\n" << e.out);
        CHECK(e.code == 1);
        CHECK(test::line_count(e.out) == 1);
        CHECK_THAT(e.out, Contains("vkcolor: error: ") && Contains(message) && Contains(also));
    };
    expect_error(base + (dir / "a").string() + " --index 1000", "--index 1000 is out of range", "(--index 0 to 999)");
    expect_error("activations --backend cpu --checkpoint " + (dir / "missing.safetensors").string() +
                     " --index 0 --out " + (dir / "a").string(),
                 "missing.safetensors");
    test::write_text(dir / "file", "x");
    expect_error(base + (dir / "file" / "sub").string(), (dir / "file" / "sub").string() + ": cannot create the output folder");
    expect_error(base + (dir / "a").string() + " --zoom 0", "--zoom 0 must be between 1 and 32");
    CHECK(!std::filesystem::exists(dir / "a"));   // nothing was made by a refused command
}
