#pragma once
// Line plots drawn by vkcolor itself (no plotting library): the training curve.
#include <string>
#include <vector>

#include "vkcolor/report/canvas.hpp"

namespace vkcolor::report {

struct Series {
    std::string label;
    std::vector<double> x, y;
    Rgb colour;
};

// A plot with axes, ticks, labels and a legend. Points with non-finite y are skipped.
Canvas plot_lines(const std::vector<Series>& series, const std::string& title, const std::string& x_label,
                  const std::string& y_label, int width = 640, int height = 400);

} // namespace vkcolor::report
