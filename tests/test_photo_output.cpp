// The picture infer writes: the photo's own luminance with the predicted chroma (annealed mean
// of the palette for the classifiers), or the network's own picture with raw.
#include <catch2/catch.hpp>

#include <cmath>

#include "data_helpers.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/data/photo_output.hpp"

using namespace vkcolor;
using namespace vkcolor::data;

namespace {
const Palette two{{{0.9f, 0.2f, 0.1f}, {0.1f, 0.3f, 0.8f}}};   // a red and a blue

// Cb and Cr of one RGB colour.
std::pair<double, double> chroma_of(double r, double g, double b) {
    double y = 0.299 * r + 0.587 * g + 0.114 * b;
    return {0.5 + (b - y) / 1.772, 0.5 + (r - y) / 1.402};
}

// Logits of a 1 x 2 x H x W output: class 1 ahead of class 0 by `gap` everywhere.
HostTensor logits(uint32_t h, uint32_t w, float gap) {
    HostTensor t(Shape{1, 2, h, w});
    for (uint32_t y = 0; y < h; ++y)
        for (uint32_t x = 0; x < w; ++x) t.at(0, 1, y, x) = gap;
    return t;
}
} // namespace

TEST_CASE("photo output keeps the photo's luminance and takes the annealed mean chroma", "[photo]") {
    const Task task;   // grey in, colour classes out: the assignment's classifiers
    // A mid-grey-ish photo, so that no output channel clamps.
    HostTensor photo = check::random_tensor({1, 3, 5, 7}, 3, 0.4f, 0.6f);
    HostTensor grey = to_grey(photo);
    // T = 1 and class 1 ahead by ln 3: probabilities 1/4 and 3/4.
    HostTensor out = photo_output_rgb(task, two, logits(5, 7, std::log(3.0f)), photo, grey, {.temperature = 1.0f});
    REQUIRE(out.shape == Shape{1, 3, 5, 7});
    HostTensor got = rgb_to_ycbcr(out), want = rgb_to_ycbcr(photo);
    auto [cb, cr] = chroma_of(0.25 * 0.9 + 0.75 * 0.1, 0.25 * 0.2 + 0.75 * 0.3, 0.25 * 0.1 + 0.75 * 0.8);
    for (uint32_t y = 0; y < 5; ++y)
        for (uint32_t x = 0; x < 7; ++x) {
            CHECK(got.at(0, 0, y, x) == Approx(want.at(0, 0, y, x)).margin(1e-5));   // the photo's Y
            CHECK(got.at(0, 1, y, x) == Approx(cb).margin(1e-5));
            CHECK(got.at(0, 2, y, x) == Approx(cr).margin(1e-5));
        }
    // A low temperature gives the most likely colour's chroma; a grey photo gives its own Y.
    HostTensor sharp = photo_output_rgb(task, two, logits(5, 7, 0.5f), grey, grey, {.temperature = 0.01f});
    HostTensor s = rgb_to_ycbcr(sharp);
    auto [cb1, cr1] = chroma_of(0.1, 0.3, 0.8);
    CHECK(s.at(0, 0, 2, 3) == Approx(grey.at(0, 0, 2, 3)).margin(1e-5));
    CHECK(s.at(0, 1, 2, 3) == Approx(cb1).margin(1e-4));
    CHECK(s.at(0, 2, 2, 3) == Approx(cr1).margin(1e-4));
}

TEST_CASE("photo output: raw is the network's picture, other tasks keep theirs, bad temperatures are refused", "[photo]") {
    const Task task;
    HostTensor photo = check::random_tensor({1, 3, 4, 4}, 4, 0.0f, 0.99f), grey = to_grey(photo);
    HostTensor l = logits(4, 4, 2.0f);
    CHECK(photo_output_rgb(task, two, l, photo, grey, {.raw = true}).data == task_output_rgb(task, two, l, grey).data);
    const Task superres{.input = InputKind::low_res_rgb, .target = TargetKind::classes};
    HostTensor low = low_resolution(photo);
    CHECK(photo_output_rgb(superres, two, l, photo, low).data == task_output_rgb(superres, two, l, low).data);
    REQUIRE_ERROR_CONTAINS(photo_output_rgb(task, two, l, photo, grey, {.temperature = 0.0f}), "temperature");
    // Very large logits do not overflow the softmax.
    HostTensor big = logits(4, 4, 1e30f);
    for (float v : photo_output_rgb(task, two, big, photo, grey).data) CHECK(std::isfinite(v));
}
