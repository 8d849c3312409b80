#include "vkcolor/report/canvas.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace vkcolor::report {

namespace {

// A 5x7 font: each glyph is 7 rows of 5 bits (bit 4 = leftmost column).
struct Glyph {
    char c;
    uint8_t rows[7];
};

constexpr Glyph k_font[] = {
    {'0', {14, 17, 19, 21, 25, 17, 14}}, {'1', {4, 12, 4, 4, 4, 4, 14}},   {'2', {14, 17, 1, 2, 4, 8, 31}},
    {'3', {31, 2, 4, 2, 1, 17, 14}},     {'4', {2, 6, 10, 18, 31, 2, 2}},  {'5', {31, 16, 30, 1, 1, 17, 14}},
    {'6', {6, 8, 16, 30, 17, 17, 14}},   {'7', {31, 1, 2, 4, 8, 8, 8}},    {'8', {14, 17, 17, 14, 17, 17, 14}},
    {'9', {14, 17, 17, 15, 1, 2, 12}},   {'.', {0, 0, 0, 0, 0, 12, 12}},   {'-', {0, 0, 0, 31, 0, 0, 0}},
    {':', {0, 12, 12, 0, 12, 12, 0}},    {'%', {24, 25, 2, 4, 8, 19, 3}},  {'(', {2, 4, 8, 8, 8, 4, 2}},
    {')', {8, 4, 2, 2, 2, 4, 8}},        {'/', {1, 1, 2, 4, 8, 16, 16}},   {'+', {0, 4, 4, 31, 4, 4, 0}},
    {'=', {0, 0, 31, 0, 31, 0, 0}},      {'_', {0, 0, 0, 0, 0, 0, 31}},    {',', {0, 0, 0, 0, 12, 4, 8}},
    {'a', {0, 0, 14, 1, 15, 17, 15}},    {'b', {16, 16, 22, 25, 17, 17, 30}}, {'c', {0, 0, 14, 16, 16, 17, 14}},
    {'d', {1, 1, 13, 19, 17, 17, 15}},   {'e', {0, 0, 14, 17, 31, 16, 14}}, {'f', {6, 9, 8, 28, 8, 8, 8}},
    {'g', {0, 15, 17, 17, 15, 1, 14}},   {'h', {16, 16, 22, 25, 17, 17, 17}}, {'i', {4, 0, 12, 4, 4, 4, 14}},
    {'j', {2, 0, 6, 2, 2, 18, 12}},      {'k', {16, 16, 18, 20, 24, 20, 18}}, {'l', {12, 4, 4, 4, 4, 4, 14}},
    {'m', {0, 0, 26, 21, 21, 17, 17}},   {'n', {0, 0, 22, 25, 17, 17, 17}}, {'o', {0, 0, 14, 17, 17, 17, 14}},
    {'p', {0, 0, 30, 17, 30, 16, 16}},   {'q', {0, 0, 13, 19, 15, 1, 1}},   {'r', {0, 0, 22, 25, 16, 16, 16}},
    {'s', {0, 0, 14, 16, 14, 1, 30}},    {'t', {8, 8, 28, 8, 8, 9, 6}},     {'u', {0, 0, 17, 17, 17, 19, 13}},
    {'v', {0, 0, 17, 17, 17, 10, 4}},    {'w', {0, 0, 17, 17, 21, 21, 10}}, {'x', {0, 0, 17, 10, 4, 10, 17}},
    {'y', {0, 0, 17, 17, 15, 1, 14}},    {'z', {0, 0, 31, 2, 4, 8, 31}},    {' ', {0, 0, 0, 0, 0, 0, 0}},
};

const Glyph* find_glyph(char c) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');   // one case is enough for labels
    for (const auto& g : k_font)
        if (g.c == c) return &g;
    return nullptr;
}

} // namespace

Canvas::Canvas(int width, int height, Rgb bg) : width_(width), height_(height), pixels_(size_t(width) * height * 3) {
    for (size_t i = 0; i < pixels_.size(); i += 3) pixels_[i] = bg.r, pixels_[i + 1] = bg.g, pixels_[i + 2] = bg.b;
}

void Canvas::set(int x, int y, Rgb c) {
    if (x < 0 || y < 0 || x >= width_ || y >= height_) return;
    uint8_t* p = &pixels_[(size_t(y) * width_ + x) * 3];
    p[0] = c.r, p[1] = c.g, p[2] = c.b;
}

Rgb Canvas::get(int x, int y) const {
    if (x < 0 || y < 0 || x >= width_ || y >= height_) return {};
    const uint8_t* p = &pixels_[(size_t(y) * width_ + x) * 3];
    return {p[0], p[1], p[2]};
}

void Canvas::fill_rect(int x, int y, int w, int h, Rgb c) {
    for (int j = std::max(0, y); j < std::min(height_, y + h); ++j)
        for (int i = std::max(0, x); i < std::min(width_, x + w); ++i) set(i, j, c);
}

void Canvas::line(double x0, double y0, double x1, double y1, Rgb c, int thickness) {
    // Sample the segment at sub-pixel steps; plenty for plots of a few hundred pixels.
    double len = std::max(std::fabs(x1 - x0), std::fabs(y1 - y0));
    int steps = std::max(1, static_cast<int>(std::ceil(len * 2)));
    int r0 = -(thickness - 1) / 2, r1 = thickness / 2;
    for (int s = 0; s <= steps; ++s) {
        double t = double(s) / steps;
        int x = static_cast<int>(std::lround(x0 + (x1 - x0) * t)), y = static_cast<int>(std::lround(y0 + (y1 - y0) * t));
        for (int dy = r0; dy <= r1; ++dy)
            for (int dx = r0; dx <= r1; ++dx) set(x + dx, y + dy, c);
    }
}

int Canvas::text_width(const std::string& s, int scale) { return s.empty() ? 0 : int(s.size()) * 6 * scale - scale; }

void Canvas::text(int x, int y, const std::string& s, Rgb c, int scale) {
    for (size_t k = 0; k < s.size(); ++k) {
        const Glyph* g = find_glyph(s[k]);
        int gx = x + int(k) * 6 * scale;
        for (int row = 0; row < 7; ++row)
            for (int col = 0; col < 5; ++col) {
                bool on = g ? (g->rows[row] >> (4 - col)) & 1 : (row == 0 || row == 6 || col == 0 || col == 4);
                if (on) fill_rect(gx + col * scale, y + row * scale, scale, scale, c);
            }
    }
}

void Canvas::blit_planes(int x, int y, const float* planes, int w, int h, int zoom) {
    auto to8 = [](float v) { return static_cast<uint8_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f)); };
    size_t plane = size_t(w) * h;
    for (int j = 0; j < h; ++j)
        for (int i = 0; i < w; ++i) {
            size_t k = size_t(j) * w + i;
            Rgb c{to8(planes[k]), to8(planes[plane + k]), to8(planes[2 * plane + k])};
            fill_rect(x + i * zoom, y + j * zoom, zoom, zoom, c);
        }
}

} // namespace vkcolor::report
