#include "vkcolor/report/plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace vkcolor::report {

namespace {

// A "nice" tick step (1, 2 or 5 times a power of ten) giving about `target` ticks over span.
double nice_step(double span, int target) {
    double raw = span / std::max(1, target);
    double p = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (raw <= m * p) return m * p;
    return 10 * p;
}

std::string tick_label(double v, double step) {
    char buf[32];
    int decimals = std::max(0, -static_cast<int>(std::floor(std::log10(step))));
    std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(v) < step * 1e-6 ? 0.0 : v);
    return buf;
}

} // namespace

Canvas plot_lines(const std::vector<Series>& series, const std::string& title, const std::string& x_label,
                  const std::string& y_label, int width, int height) {
    Canvas c(width, height);
    const Rgb ink{40, 40, 40}, grid{225, 225, 225};
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (const auto& s : series)
        for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
            if (!std::isfinite(s.y[i]) || !std::isfinite(s.x[i])) continue;
            x0 = std::min(x0, s.x[i]), x1 = std::max(x1, s.x[i]);
            y0 = std::min(y0, s.y[i]), y1 = std::max(y1, s.y[i]);
        }
    if (!std::isfinite(x0)) x0 = 0, x1 = 1, y0 = 0, y1 = 1;
    if (x1 - x0 < 1e-12) x1 = x0 + 1;
    if (y1 - y0 < 1e-12) y0 -= 0.5 * std::max(1e-3, std::fabs(y0)), y1 += 0.5 * std::max(1e-3, std::fabs(y1));
    double ys = nice_step(y1 - y0, 6), xs = nice_step(x1 - x0, 8);
    // Whole-number x values (epochs) get whole-number ticks.
    bool integral_x = true;
    for (const auto& s : series)
        for (double x : s.x) integral_x = integral_x && x == std::floor(x);
    if (integral_x) xs = std::max(1.0, std::round(xs));
    y0 = std::floor(y0 / ys) * ys, y1 = std::ceil(y1 / ys) * ys;

    const int left = 70, right = width - 20, top = 40, bottom = height - 50;
    auto px = [&](double x) { return left + (x - x0) / (x1 - x0) * (right - left); };
    auto py = [&](double y) { return bottom - (y - y0) / (y1 - y0) * (bottom - top); };

    for (double y = y0; y <= y1 + ys * 1e-6; y += ys) {
        c.line(left, py(y), right, py(y), grid);
        std::string l = tick_label(y, ys);
        c.text(left - 6 - Canvas::text_width(l), int(py(y)) - 3, l, ink);
    }
    for (double x = std::ceil(x0 / xs) * xs; x <= x1 + xs * 1e-6; x += xs) {
        c.line(px(x), top, px(x), bottom, grid);
        std::string l = tick_label(x, xs);
        c.text(int(px(x)) - Canvas::text_width(l) / 2, bottom + 8, l, ink);
    }
    c.line(left, top, left, bottom, ink);
    c.line(left, bottom, right, bottom, ink);
    c.text((width - Canvas::text_width(title, 2)) / 2, 10, title, ink, 2);
    c.text((left + right - Canvas::text_width(x_label)) / 2, height - 20, x_label, ink);
    c.text(8, top - 16, y_label, ink);

    int legend_y = top + 8;
    for (const auto& s : series) {
        bool have_prev = false;
        double lx = 0, ly = 0;
        for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
            if (!std::isfinite(s.y[i])) { have_prev = false; continue; }
            double X = px(s.x[i]), Y = py(s.y[i]);
            if (have_prev) c.line(lx, ly, X, Y, s.colour, 2);
            c.fill_rect(int(X) - 2, int(Y) - 2, 5, 5, s.colour);
            lx = X, ly = Y, have_prev = true;
        }
        c.fill_rect(right - 110, legend_y, 14, 4, s.colour);
        c.text(right - 90, legend_y - 2, s.label, ink);
        legend_y += 14;
    }
    return c;
}

} // namespace vkcolor::report
