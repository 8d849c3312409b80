#include "vkcolor/data/photo_output.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "vkcolor/gpu/error.hpp"

namespace vkcolor::data {

bool keeps_photo_luminance(const Task& task) {
    return task.input == InputKind::grey || task.input == InputKind::luma_y;
}

namespace {
// N x 3 x H x W: the annealed mean palette colour of each pixel.
HostTensor annealed_mean_rgb(const HostTensor& logits, const Palette& palette, float temperature) {
    const Shape& s = logits.shape;
    if (s.c != palette.size())
        throw Error("internal: " + std::to_string(s.c) + " class scores for a palette of " + std::to_string(palette.size()));
    HostTensor rgb(Shape{s.n, 3, s.h, s.w});
    std::vector<double> p(s.c);
    for (uint32_t n = 0; n < s.n; ++n)
        for (uint32_t y = 0; y < s.h; ++y)
            for (uint32_t x = 0; x < s.w; ++x) {
                double top = -INFINITY;
                for (uint32_t c = 0; c < s.c; ++c) top = std::max(top, double(logits.at(n, c, y, x)) / temperature);
                double total = 0;
                for (uint32_t c = 0; c < s.c; ++c) {
                    p[c] = std::exp(double(logits.at(n, c, y, x)) / temperature - top);   // the largest is 1: no overflow
                    total += p[c];
                }
                for (uint32_t k = 0; k < 3; ++k) {
                    double v = 0;
                    for (uint32_t c = 0; c < s.c; ++c) v += p[c] * palette.colours[c][k];
                    rgb.at(n, k, y, x) = float(v / total);
                }
            }
    return rgb;
}

// Plane `c` of every image of `t` (N x C x H x W) into plane `d` of `out` (N x D x H x W).
void copy_plane(const HostTensor& t, uint32_t c, HostTensor& out, uint32_t d) {
    const size_t plane = size_t(t.shape.h) * t.shape.w;
    for (uint32_t n = 0; n < t.shape.n; ++n)
        std::copy_n(t.data.begin() + (size_t(n) * t.shape.c + c) * plane, plane,
                    out.data.begin() + (size_t(n) * out.shape.c + d) * plane);
}
} // namespace

HostTensor photo_output_rgb(const Task& task, const Palette& palette, const HostTensor& output, const HostTensor& photo,
                            const HostTensor& network_input, const PhotoOutput& o) {
    if (o.raw || !keeps_photo_luminance(task)) return task_output_rgb(task, palette, output, network_input);
    if (!(o.temperature > 0) || !std::isfinite(o.temperature)) throw Error("the temperature must be a positive number");
    const Shape& s = output.shape;
    if (photo.shape.n != s.n || photo.shape.h != s.h || photo.shape.w != s.w || (photo.shape.c != 1 && photo.shape.c != 3))
        throw Error("internal: photo " + photo.shape.str() + " does not match the output " + s.str());

    HostTensor ycbcr(Shape{s.n, 3, s.h, s.w});
    // The photo's luminance.
    if (photo.shape.c == 3) copy_plane(rgb_to_ycbcr(photo), 0, ycbcr, 0);
    else copy_plane(photo, 0, ycbcr, 0);
    // The predicted chroma: of the colour the classes or RGB outputs stand for, or Cb/Cr themselves.
    if (task.target == TargetKind::cbcr) {
        copy_plane(output, 0, ycbcr, 1);
        copy_plane(output, 1, ycbcr, 2);
    } else {
        HostTensor rgb = task.target == TargetKind::classes ? annealed_mean_rgb(output, palette, o.temperature) : output;
        for (auto& v : rgb.data) v = std::clamp(v, 0.0f, 1.0f);
        HostTensor full = rgb_to_ycbcr(rgb);
        copy_plane(full, 1, ycbcr, 1);
        copy_plane(full, 2, ycbcr, 2);
    }
    HostTensor rgb = ycbcr_to_rgb(ycbcr);
    for (auto& v : rgb.data) v = std::clamp(v, 0.0f, 1.0f);
    return rgb;
}

} // namespace vkcolor::data
