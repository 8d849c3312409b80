// Tasks: the inputs and targets the related systems train on, and the pictures made from outputs.
#include <catch2/catch.hpp>

#include <cmath>

#include "vkcolor/check/harness.hpp"
#include "vkcolor/data/task.hpp"

using namespace vkcolor;
using namespace vkcolor::data;

TEST_CASE("YCbCr follows JPEG's full-range BT.601 and round-trips", "[data][task]") {
    HostTensor rgb = check::random_tensor({2, 3, 5, 7}, 3, 0.0f, 0.99f);
    HostTensor ycc = rgb_to_ycbcr(rgb);
    // Pure white and pure red by the formulas: Y = 1, Cb = Cr = 0.5; Y = 0.299, Cr = 1.
    HostTensor white(Shape{1, 3, 1, 2});
    white.data = {1, 1, 1, 0, 1, 0};   // pixel 0 white, pixel 1 red
    HostTensor w = rgb_to_ycbcr(white);
    CHECK(w.at(0, 0, 0, 0) == Approx(1.0f));
    CHECK(w.at(0, 1, 0, 0) == Approx(0.5f));
    CHECK(w.at(0, 2, 0, 0) == Approx(0.5f));
    CHECK(w.at(0, 0, 0, 1) == Approx(0.299f));
    CHECK(w.at(0, 2, 0, 1) == Approx(1.0f));
    CHECK(check::relative_error(ycbcr_to_rgb(ycc).data, rgb.data) < 1e-6);
}

TEST_CASE("super-resolution input averages 4x4 blocks and keeps the size", "[data][task]") {
    HostTensor rgb = check::random_tensor({1, 3, 8, 12}, 4, 0.0f, 0.99f);
    HostTensor low = low_resolution(rgb);
    REQUIRE(low.shape == rgb.shape);
    for (uint32_t c = 0; c < 3; ++c)
        for (uint32_t by = 0; by < 8; by += 4)
            for (uint32_t bx = 0; bx < 12; bx += 4) {
                double mean = 0;
                for (uint32_t y = by; y < by + 4; ++y)
                    for (uint32_t x = bx; x < bx + 4; ++x) mean += rgb.at(0, c, y, x) / 16.0;
                for (uint32_t y = by; y < by + 4; ++y)
                    for (uint32_t x = bx; x < bx + 4; ++x) CHECK(low.at(0, c, y, x) == Approx(mean).epsilon(1e-6));
            }
    CHECK_THROWS_WITH(low_resolution(HostTensor(Shape{1, 3, 6, 8})), Catch::Contains("multiples of 4"));
}

TEST_CASE("each task makes inputs and targets of the right kind", "[data][task]") {
    HostTensor rgb = check::random_tensor({2, 3, 4, 4}, 5, 0.0f, 0.99f);
    const Palette& p = default_palette();
    Task colour;
    CHECK(task_input(colour, rgb).shape == Shape{2, 1, 4, 4});
    CHECK(task_target(colour, rgb, p).data == colour_classes(rgb, p).data);
    Task superres{InputKind::low_res_rgb, GreyMode::mean, TargetKind::classes};
    CHECK(task_input(superres, rgb).data == low_resolution(rgb).data);
    Task ycc{InputKind::luma_y, GreyMode::mean, TargetKind::cbcr};
    HostTensor y = task_input(ycc, rgb), cbcr = task_target(ycc, rgb, p);
    REQUIRE(cbcr.shape == Shape{2, 2, 4, 4});
    // The Cb/Cr target with the Y input gives the image back (clamped to 255/256).
    HostTensor back = task_output_rgb(ycc, p, cbcr, y);
    for (size_t i = 0; i < rgb.data.size(); ++i) CHECK(back.data[i] == Approx(std::min(rgb.data[i], 255.0f / 256)).margin(1e-5));
    Task auto_enc{InputKind::rgb, GreyMode::mean, TargetKind::rgb};
    CHECK(task_input(auto_enc, rgb).data == rgb.data);
    CHECK(task_input_rgb(colour, task_input(colour, rgb)).shape == Shape{2, 3, 4, 4});
}
