// Tiled inference (train/tiles.hpp): tiles with a halo of the receptive radius give the bits of
// one pass over the whole image, on the CPU reference and on the GPU; a halo too small does not.
#include <catch2/catch.hpp>

#include "gpu_fixture.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/data/palette.hpp"
#include "vkcolor/model/parameters.hpp"
#include "vkcolor/train/backend.hpp"
#include "vkcolor/train/colorize.hpp"
#include "vkcolor/train/tiles.hpp"

using namespace vkcolor;

namespace {
train::Checkpoint small_unet() {
    model::ModelConfig config{.model = "unet", .num_filters = 4};
    return {config, data::default_palette(), model::init_parameters(model::build_preset(config), 7), 1};
}
} // namespace

TEST_CASE("the receptive radius follows the convolutions and the rescalings", "[tiles]") {
    // UNet: 1 (conv) + 1 (pool) + 2 (conv at 1/2) + 2 (pool) + 4 + 4 (two convs at 1/4) + 4 (upsample,
    // counted as a pixel at 1/4) + 2 (conv at 1/2) + 2 (upsample) + 1 (final conv) = 23 input pixels.
    CHECK(train::receptive_radius(model::build_preset({.model = "unet"})) == 23u);
    // Kernel 5: the convolutions reach twice as far, the rescalings as before.
    CHECK(train::receptive_radius(model::build_preset({.model = "unet", .kernel = 5})) == 23u + 14u);
    CHECK_FALSE(train::receptive_radius(model::build_preset({.model = "cs520"})));   // a dense layer sees everything
}

TEST_CASE("tiles give the bits of one pass over the whole image, on the CPU and the GPU", "[gpu][tiles]") {
    const auto ckpt = small_unet();
    const model::Graph g = model::build_preset(ckpt.config);
    const HostTensor image = check::random_tensor({1, 1, 80, 100}, 3, 0.0f, 1.0f);
    const uint32_t m = g.spatial_multiple();
    const uint32_t halo = (*train::receptive_radius(g) + m - 1) / m * m;

    for (bool gpu : {false, true}) {
        INFO((gpu ? "GPU" : "CPU reference"));
        train::Colorizer whole(ckpt, gpu ? &test::gpu() : nullptr), tiled(ckpt, gpu ? &test::gpu() : nullptr);
        whole.set_max_tile_pixels(UINT64_MAX);
        // Tiles of 2 * halo + 16 pixels a side: several along both axes, kept cores of 16.
        const uint32_t side = 2 * halo + 16;
        tiled.set_max_tile_pixels(uint64_t(side) * side);
        const auto plan = train::plan_tiles(g, 80, 100, m, tiled.max_tile_pixels());
        REQUIRE(plan);
        CHECK(plan->side == side);
        CHECK(plan->halo == halo);
        CHECK(tiled.colorize(image).data == whole.colorize(image).data);
        data::PhotoOutput raw;
        raw.raw = true;
        CHECK(tiled.colorize(image, raw).data == whole.colorize(image, raw).data);
    }
    test::require_no_validation_messages();
}

TEST_CASE("tiles with a halo far short of the receptive radius differ: the check can fail", "[tiles]") {
    const auto ckpt = small_unet();
    const model::Graph g = model::build_preset(ckpt.config);
    optim::OptimizerConfig unused;
    auto backend = train::make_cpu_backend(g, ckpt.state, unused);
    const HostTensor input = check::random_tensor({1, 1, 64, 64}, 4, 0.0f, 1.0f);
    auto predict = [&](const HostTensor& x) { return backend->predict(x); };
    const HostTensor whole = backend->predict(input);
    const uint32_t m = g.spatial_multiple(), halo = (*train::receptive_radius(g) + m - 1) / m * m;
    CHECK(train::predict_in_tiles(predict, input, {2 * halo + 8, halo}).data == whole.data);
    CHECK(train::predict_in_tiles(predict, input, {2 * halo + 8, m}).data != whole.data);
}

TEST_CASE("a tile budget too small for the model's halo is refused clearly", "[tiles]") {
    const model::Graph g = model::build_preset({.model = "unet"});
    CHECK_FALSE(train::plan_tiles(g, 64, 64, 4, 64 * 64));   // fits: no tiles
    CHECK_THROWS_WITH(train::plan_tiles(g, 640, 640, 4, 32 * 32), Catch::Contains("too few for this model's 24-pixel border"));
}
