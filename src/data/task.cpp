#include "vkcolor/data/task.hpp"

#include <algorithm>

#include "vkcolor/gpu/error.hpp"

namespace vkcolor::data {

namespace {

void require_channels(const HostTensor& t, uint32_t c, const char* what) {
    if (t.shape.c != c || t.data.size() != t.shape.count())
        throw Error(std::string("internal: ") + what + " needs " + std::to_string(c) + " channel(s), got " +
                    t.shape.str());
}

// Channels [first, first + count) of every image.
HostTensor channel_range(const HostTensor& t, uint32_t first, uint32_t count) {
    HostTensor out(Shape{t.shape.n, count, t.shape.h, t.shape.w});
    const size_t plane = size_t(t.shape.h) * t.shape.w;
    for (size_t n = 0; n < t.shape.n; ++n)
        std::copy_n(t.data.begin() + (n * t.shape.c + first) * plane, count * plane, out.data.begin() + n * count * plane);
    return out;
}

// What a pixel may hold in an 8-bit image on the pixel/256 scale.
float clamp_pixel(float v) { return std::clamp(v, 0.0f, 255.0f / 256.0f); }

} // namespace

HostTensor to_grey(const HostTensor& rgb, GreyMode mode) {
    require_channels(rgb, 3, "to_grey");
    const float wr = mode == GreyMode::mean ? 1.0f / 3 : 0.21f;
    const float wg = mode == GreyMode::mean ? 1.0f / 3 : 0.72f;
    const float wb = mode == GreyMode::mean ? 1.0f / 3 : 0.07f;
    const size_t plane = size_t(rgb.shape.h) * rgb.shape.w;
    HostTensor grey(Shape{rgb.shape.n, 1, rgb.shape.h, rgb.shape.w});
    for (size_t n = 0; n < rgb.shape.n; ++n) {
        const float* r = rgb.data.data() + n * 3 * plane;
        for (size_t i = 0; i < plane; ++i) {
            float v = mode == GreyMode::mean ? (r[i] + r[plane + i] + r[2 * plane + i]) / 3.0f
                                             : wr * r[i] + wg * r[plane + i] + wb * r[2 * plane + i];
            grey.data[n * plane + i] = v;
        }
    }
    return grey;
}

HostTensor colour_classes(const HostTensor& rgb, const Palette& palette) {
    require_channels(rgb, 3, "colour_classes");
    if (palette.size() == 0) throw Error("internal: colour_classes with an empty palette");
    const size_t plane = size_t(rgb.shape.h) * rgb.shape.w;
    HostTensor classes(Shape{rgb.shape.n, 1, rgb.shape.h, rgb.shape.w});
    for (size_t n = 0; n < rgb.shape.n; ++n) {
        const float* r = rgb.data.data() + n * 3 * plane;
        for (size_t i = 0; i < plane; ++i)
            classes.data[n * plane + i] = float(nearest_colour(palette, r[i], r[plane + i], r[2 * plane + i]));
    }
    return classes;
}

HostTensor quantised_rgb(const HostTensor& classes, const Palette& palette) {
    require_channels(classes, 1, "quantised_rgb");
    const size_t plane = size_t(classes.shape.h) * classes.shape.w;
    HostTensor rgb(Shape{classes.shape.n, 3, classes.shape.h, classes.shape.w});
    for (size_t n = 0; n < classes.shape.n; ++n)
        for (size_t i = 0; i < plane; ++i) {
            float k = classes.data[n * plane + i];
            if (!(k >= 0 && k < float(palette.size())) || k != float(uint32_t(k)))
                throw Error("internal: colour class " + std::to_string(k) + " is not one of the " +
                            std::to_string(palette.size()) + " palette colours");
            const Rgb& c = palette.colours[uint32_t(k)];
            for (size_t ch = 0; ch < 3; ++ch) rgb.data[(n * 3 + ch) * plane + i] = c[ch];
        }
    return rgb;
}

HostTensor rgb_to_ycbcr(const HostTensor& rgb) {
    require_channels(rgb, 3, "rgb_to_ycbcr");
    HostTensor out(rgb.shape);
    const size_t plane = size_t(rgb.shape.h) * rgb.shape.w;
    for (size_t n = 0; n < rgb.shape.n; ++n) {
        const float* p = rgb.data.data() + n * 3 * plane;
        float* q = out.data.data() + n * 3 * plane;
        for (size_t i = 0; i < plane; ++i) {
            const double r = p[i], g = p[plane + i], b = p[2 * plane + i];
            const double y = 0.299 * r + 0.587 * g + 0.114 * b;
            q[i] = float(y);
            q[plane + i] = float(0.5 + (b - y) / 1.772);
            q[2 * plane + i] = float(0.5 + (r - y) / 1.402);
        }
    }
    return out;
}

HostTensor ycbcr_to_rgb(const HostTensor& ycbcr) {
    require_channels(ycbcr, 3, "ycbcr_to_rgb");
    HostTensor out(ycbcr.shape);
    const size_t plane = size_t(ycbcr.shape.h) * ycbcr.shape.w;
    for (size_t n = 0; n < ycbcr.shape.n; ++n) {
        const float* p = ycbcr.data.data() + n * 3 * plane;
        float* q = out.data.data() + n * 3 * plane;
        for (size_t i = 0; i < plane; ++i) {
            const double y = p[i], cb = p[plane + i] - 0.5, cr = p[2 * plane + i] - 0.5;
            const double r = y + 1.402 * cr, b = y + 1.772 * cb;
            q[i] = float(r);
            q[plane + i] = float((y - 0.299 * r - 0.114 * b) / 0.587);
            q[2 * plane + i] = float(b);
        }
    }
    return out;
}

HostTensor low_resolution(const HostTensor& rgb) {
    const Shape& s = rgb.shape;
    if (s.h % 4 || s.w % 4)
        throw Error("super-resolution needs images whose sides are multiples of 4, got " + std::to_string(s.h) + "x" +
                    std::to_string(s.w));
    HostTensor out(s);
    for (uint32_t n = 0; n < s.n; ++n)
        for (uint32_t c = 0; c < s.c; ++c)
            for (uint32_t by = 0; by < s.h; by += 4)
                for (uint32_t bx = 0; bx < s.w; bx += 4) {
                    // Two 2x2 means in float, as two average pools compute them.
                    float quarter[2][2];
                    for (uint32_t qy = 0; qy < 2; ++qy)
                        for (uint32_t qx = 0; qx < 2; ++qx) {
                            uint32_t y = by + 2 * qy, x = bx + 2 * qx;
                            quarter[qy][qx] = (rgb.at(n, c, y, x) + rgb.at(n, c, y, x + 1) + rgb.at(n, c, y + 1, x) +
                                               rgb.at(n, c, y + 1, x + 1)) * 0.25f;
                        }
                    float mean = (quarter[0][0] + quarter[0][1] + quarter[1][0] + quarter[1][1]) * 0.25f;
                    for (uint32_t y = by; y < by + 4; ++y)
                        for (uint32_t x = bx; x < bx + 4; ++x) out.at(n, c, y, x) = mean;
                }
    return out;
}

HostTensor task_input(const Task& task, const HostTensor& rgb) {
    switch (task.input) {
    case InputKind::grey: return to_grey(rgb, task.grey);
    case InputKind::luma_y: return channel_range(rgb_to_ycbcr(rgb), 0, 1);
    case InputKind::low_res_rgb: return low_resolution(rgb);
    case InputKind::rgb: return rgb;
    }
    return rgb;
}

HostTensor task_target(const Task& task, const HostTensor& rgb, const Palette& palette) {
    switch (task.target) {
    case TargetKind::classes: return colour_classes(rgb, palette);
    case TargetKind::rgb: return rgb;
    case TargetKind::cbcr: return channel_range(rgb_to_ycbcr(rgb), 1, 2);
    }
    return rgb;
}

HostTensor task_output_rgb(const Task& task, const Palette& palette, const HostTensor& out, const HostTensor& input) {
    const Shape& s = out.shape;
    if (task.target == TargetKind::classes) {
        HostTensor classes(Shape{s.n, 1, s.h, s.w});
        for (uint32_t n = 0; n < s.n; ++n)
            for (uint32_t y = 0; y < s.h; ++y)
                for (uint32_t x = 0; x < s.w; ++x) {
                    uint32_t best = 0;
                    for (uint32_t c = 1; c < s.c; ++c)
                        if (out.at(n, c, y, x) > out.at(n, best, y, x)) best = c;
                    classes.at(n, 0, y, x) = static_cast<float>(best);
                }
        return quantised_rgb(classes, palette);
    }
    HostTensor rgb = out;
    if (task.target == TargetKind::cbcr) {
        require_channels(out, 2, "task_output_rgb (Cb, Cr)");
        require_channels(input, 1, "task_output_rgb (Y)");
        HostTensor ycbcr(Shape{s.n, 3, s.h, s.w});
        const size_t plane = size_t(s.h) * s.w;
        for (size_t n = 0; n < s.n; ++n) {
            std::copy_n(input.data.begin() + n * plane, plane, ycbcr.data.begin() + n * 3 * plane);
            std::copy_n(out.data.begin() + n * 2 * plane, 2 * plane, ycbcr.data.begin() + (n * 3 + 1) * plane);
        }
        rgb = ycbcr_to_rgb(ycbcr);
    }
    for (auto& v : rgb.data) v = clamp_pixel(v);
    return rgb;
}

HostTensor task_input_rgb(const Task& task, const HostTensor& input) {
    if (task.input_channels() == 3) return input;
    const Shape& s = input.shape;
    HostTensor rgb(Shape{s.n, 3, s.h, s.w});
    const size_t plane = size_t(s.h) * s.w;
    for (size_t n = 0; n < s.n; ++n)
        for (size_t c = 0; c < 3; ++c) std::copy_n(input.data.begin() + n * plane, plane, rgb.data.begin() + (n * 3 + c) * plane);
    return rgb;
}

} // namespace vkcolor::data
