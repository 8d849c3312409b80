#pragma once
// A small RGB raster for the pictures vkcolor draws itself (training curves, sample grids,
// activation mosaics): filled rectangles, lines, and text in a built-in 5x7 pixel font.
#include <cstdint>
#include <string>
#include <vector>

namespace vkcolor::report {

struct Rgb {
    uint8_t r = 0, g = 0, b = 0;
};

class Canvas {
public:
    Canvas(int width, int height, Rgb background = {255, 255, 255});

    int width() const { return width_; }
    int height() const { return height_; }
    const std::vector<uint8_t>& pixels() const { return pixels_; }   // row-major RGB8

    void set(int x, int y, Rgb c);      // ignores points outside
    Rgb get(int x, int y) const;
    void fill_rect(int x, int y, int w, int h, Rgb c);
    void line(double x0, double y0, double x1, double y1, Rgb c, int thickness = 1);
    // Text in the 5x7 font, scaled by `scale`; unknown characters draw as a box.
    void text(int x, int y, const std::string& s, Rgb c, int scale = 1);
    static int text_width(const std::string& s, int scale = 1);
    static int text_height(int scale = 1) { return 7 * scale; }
    // Copies an RGB float image (3 planes of w*h, values in [0,1]) at (x, y), each pixel as a
    // zoom x zoom block.
    void blit_planes(int x, int y, const float* planes, int w, int h, int zoom = 1);

private:
    int width_, height_;
    std::vector<uint8_t> pixels_;
};

} // namespace vkcolor::report
