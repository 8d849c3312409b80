#include "vkcolor/report/feature_mosaic.hpp"

#include <algorithm>
#include <string>

#include "vkcolor/gpu/error.hpp"

namespace vkcolor::report {

HostTensor feature_mosaic(const HostTensor& maps, uint32_t zoom, uint32_t per_row) {
    const Shape& s = maps.shape;
    if (s.n != 1 || s.count() == 0 || maps.data.size() != s.count() || zoom == 0 || per_row == 0)
        throw Error("internal: feature_mosaic of a " + s.str() + " tensor, zoom " + std::to_string(zoom) + ", " +
                    std::to_string(per_row) + " per row");
    const uint32_t columns = std::min(s.c, per_row), rows = (s.c + per_row - 1) / per_row;
    const uint32_t tile_w = s.w * zoom, tile_h = s.h * zoom;
    const uint32_t width = columns * (tile_w + 1) + 1, height = rows * (tile_h + 1) + 1;
    HostTensor out(Shape{1, 3, height, width});
    const size_t plane = size_t(width) * height, map = size_t(s.h) * s.w;
    for (int c = 0; c < 3; ++c) std::fill_n(out.data.begin() + c * plane, plane, k_mosaic_border[c]);
    for (uint32_t k = 0; k < s.c; ++k) {
        const float* m = maps.data.data() + k * map;
        const auto [lo, hi] = std::minmax_element(m, m + map);
        const double min = *lo, range = double(*hi) - double(*lo);
        const uint32_t x0 = 1 + (k % per_row) * (tile_w + 1), y0 = 1 + (k / per_row) * (tile_h + 1);
        for (uint32_t y = 0; y < tile_h; ++y)
            for (uint32_t x = 0; x < tile_w; ++x) {
                const double v = m[size_t(y / zoom) * s.w + x / zoom];
                const float scaled = range > 0 ? float((v - min) / range) : 0.0f;
                for (int c = 0; c < 3; ++c) out.data[c * plane + size_t(y0 + y) * width + x0 + x] = scaled;
            }
    }
    return out;
}

} // namespace vkcolor::report
