// The pictures vkcolor draws itself: canvas primitives and the line plot.
#include <catch2/catch.hpp>

#include <cmath>

#include "vkcolor/report/plot.hpp"

using namespace vkcolor::report;

namespace {
size_t count_colour(const Canvas& c, Rgb want) {
    size_t n = 0;
    for (int y = 0; y < c.height(); ++y)
        for (int x = 0; x < c.width(); ++x) {
            Rgb p = c.get(x, y);
            n += p.r == want.r && p.g == want.g && p.b == want.b;
        }
    return n;
}
} // namespace

TEST_CASE("canvas draws rectangles, lines, text and images", "[plot]") {
    Canvas c(40, 20, {0, 0, 0});
    c.fill_rect(-5, -5, 10, 10, {255, 0, 0});   // clipped at the border
    CHECK(count_colour(c, {255, 0, 0}) == 25);
    c.line(0, 19, 39, 19, {0, 255, 0});
    CHECK(count_colour(c, {0, 255, 0}) == 40);
    c.text(10, 2, "1.5", {0, 0, 255});
    size_t ink = count_colour(c, {0, 0, 255});
    CHECK(ink > 10);
    CHECK(Canvas::text_width("1.5") == 17);
    float planes[3 * 4] = {1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 2.0f};   // 2x2 image, one clamped value
    Canvas img(2, 2);
    img.blit_planes(0, 0, planes, 2, 2);
    CHECK(img.get(0, 0).r == 255);
    CHECK(img.get(1, 1).b == 255);
    CHECK(img.get(0, 0).g == 0);
}

TEST_CASE("the line plot draws every series and skips non-finite points", "[plot]") {
    Series a{"train", {1, 2, 3, 4}, {2.0, 1.5, 1.2, 1.1}, {31, 119, 180}};
    Series b{"val", {1, 2, 3, 4}, {2.1, NAN, 1.4, 1.3}, {255, 127, 14}};
    Canvas c = plot_lines({a, b}, "curve", "epoch", "loss");
    CHECK(c.width() == 640);
    CHECK(count_colour(c, a.colour) > 200);
    CHECK(count_colour(c, b.colour) > 100);
    // A single point or an empty series still gives a valid picture.
    Canvas one = plot_lines({Series{"x", {1}, {0.5}, {1, 2, 3}}}, "one", "x", "y");
    CHECK(count_colour(one, {1, 2, 3}) > 0);
    Canvas none = plot_lines({}, "empty", "x", "y", 100, 80);
    CHECK(none.height() == 80);
}
