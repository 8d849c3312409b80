// The related systems from the command line: their options, the sweep command, and their
// checkpoints through infer. The CPU backend keeps these tests independent of Vulkan.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "cli_helpers.hpp"
#include "data_helpers.hpp"
#include "vkcolor/data/synthetic.hpp"
#include "vkcolor/io/image.hpp"
#include "vkcolor/train/checkpoint.hpp"

using Catch::Contains;
using namespace vkcolor;
const auto run = vkcolor::test::run_vkcolor;

namespace {
std::string tiny(const std::string& model, const std::filesystem::path& out, const std::string& extra = "") {
    return "train --backend cpu --model " + model + " --num-filters 4 --data synthetic --synthetic-train 16 "
           "--synthetic-validation 8 --batch 8 --epochs 1 --out " + out.string() + " " + extra;
}

void expect_one_line_error(const std::string& args, const std::string& message) {
    INFO("vkcolor " << args);
    auto r = run(args);
    INFO(r.out);
    CHECK((r.code == 1 || r.code == 2));
    CHECK(test::line_count(r.out) == 1);
    CHECK_THAT(r.out, Contains("vkcolor: error: "));
    CHECK_THAT(r.out, Contains(message));
}
} // namespace

TEST_CASE("train refuses system settings that make no sense, and makes no folder", "[cli][systems]") {
    test::ScratchDir dir;
    expect_one_line_error(tiny("ycbcr", dir / "a", "--loss ce"), "use --loss mse or l1");
    expect_one_line_error(tiny("cs520", dir / "b", "--dropout 1.5"), "--dropout");
    expect_one_line_error(tiny("autoencoder", dir / "c", "--encoder 8,0"), "at least 1");
    expect_one_line_error(tiny("autoencoder", dir / "d", "--task superres"), "own task");
    expect_one_line_error(tiny("unet", dir / "e", "--loss huber"), "--loss");
    expect_one_line_error(tiny("unet", dir / "f", "--activation gelu"), "--activation");
    for (const char* f : {"a", "b", "c", "d"}) CHECK(!std::filesystem::exists(dir / f));
}

TEST_CASE("super-resolution, YCbCr and L1 runs train, and infer uses their tasks", "[cli][systems]") {
    test::ScratchDir dir;
    struct Case { const char* model; const char* extra; const char* header; };
    for (auto c : {Case{"unet", "--task superres", "super-resolution, ce loss"}, Case{"ycbcr", "", "ycbcr (mse loss"},
                   Case{"unet", "--loss l1 --activation leaky", "LeakyReLU, l1 loss"}}) {
        INFO(c.model << " " << c.extra);
        auto out = dir / (std::string(c.model) + std::to_string(std::string(c.extra).size()));
        auto r = run(tiny(c.model, out, c.extra));
        INFO(r.out);
        REQUIRE(r.code == 0);
        CHECK_THAT(r.out, Contains(c.header));
        CHECK(std::filesystem::exists(out / "val_1.png"));
        io::save_png(dir / "in.png", data::synthetic_scenes(1, 4));
        auto inf = run("infer --backend cpu --checkpoint " + (out / "checkpoint.safetensors").string() + " " +
                       (dir / "in.png").string() + " --out " + (out / "coloured").string());
        INFO(inf.out);
        CHECK(inf.code == 0);
        CHECK(io::load_image(out / "coloured" / "in.png").shape == Shape{1, 3, 32, 32});
    }
}

TEST_CASE("sweep trains each encoder and tabulates latent size and error", "[cli][systems]") {
    test::ScratchDir dir;
    auto r = run("sweep --backend cpu --encoder 4 --encoder 4,6 --synthetic-train 16 --synthetic-validation 8 --batch 8 --out " +
                 (dir / "sweep").string());
    INFO(r.out);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Contains("latent"));
    CHECK_THAT(r.out, Contains("4x16x16"));
    CHECK_THAT(r.out, Contains("6x8x8"));
    CHECK(std::filesystem::exists(dir / "sweep" / "encoder-4-6" / "checkpoint.safetensors"));
    expect_one_line_error("sweep --encoder 8,x --out " + (dir / "bad").string(), "--encoder '8,x'");
    CHECK(!std::filesystem::exists(dir / "bad"));
}
