#include "vkcolor/io/image.hpp"

#include <algorithm>
#include <cmath>

#include "stb_codec.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/io/file.hpp"

namespace vkcolor::io {

namespace fs = std::filesystem;

HostTensor load_image(const fs::path& path) { return decode_image(read_file(path, max_image_file_bytes), path); }

HostTensor decode_image(std::span<const uint8_t> bytes, const fs::path& path) {
    detail::DecodedImage d = detail::decode_image(bytes, max_image_pixels);
    if (!d.error.empty()) throw Error(path.string() + ": " + d.error);
    HostTensor image(Shape{1, 3, d.height, d.width});
    const size_t plane = size_t(d.width) * d.height;
    for (size_t i = 0; i < plane; ++i)
        for (size_t c = 0; c < 3; ++c) image.data[c * plane + i] = float(d.rgb[i * 3 + c]) / 256.0f;
    return image;
}

void save_png(const fs::path& path, const HostTensor& image, OnExisting existing) {
    const Shape& s = image.shape;
    if (s.n != 1 || (s.c != 1 && s.c != 3) || s.h == 0 || s.w == 0)
        throw Error(path.string() + ": cannot save a " + s.str() + " tensor as a PNG (need 1x1xHxW or 1x3xHxW)");
    const size_t plane = size_t(s.h) * s.w;
    std::vector<uint8_t> pixels(plane * s.c);
    for (size_t i = 0; i < plane; ++i)
        for (size_t c = 0; c < s.c; ++c) {
            float v = image.data[c * plane + i] * 256.0f;
            pixels[i * s.c + c] = std::isnan(v) ? 0 : uint8_t(std::clamp(std::floor(v), 0.0f, 255.0f));
        }
    std::vector<uint8_t> png = detail::encode_png(s.w, s.h, s.c, pixels);
    if (png.empty()) throw Error(path.string() + ": cannot encode the image as PNG");
    write_file_atomically(path, png, existing);
}

namespace {

// For each output index, the input indices it covers and their weights (summing to 1).
struct Tap {
    uint32_t index;
    double weight;
};

std::vector<std::vector<Tap>> area_taps(uint32_t in, uint32_t out) {
    std::vector<std::vector<Tap>> taps(out);
    const double scale = double(in) / out;
    for (uint32_t o = 0; o < out; ++o) {
        const double begin = o * scale, end = (o + 1) * scale;
        for (auto i = uint32_t(begin); i < in && i < end; ++i) {
            double overlap = std::min(end, i + 1.0) - std::max(begin, double(i));
            if (overlap > 0) taps[o].push_back({i, overlap / scale});
        }
    }
    return taps;
}

} // namespace

HostTensor resize_area(const HostTensor& images, uint32_t width, uint32_t height) {
    const Shape& s = images.shape;
    if (width == 0 || height == 0 || s.w == 0 || s.h == 0)
        throw Error("internal: resize_area from " + s.str() + " to " + std::to_string(width) + "x" +
                    std::to_string(height));
    const auto xs = area_taps(s.w, width), ys = area_taps(s.h, height);
    HostTensor out(Shape{s.n, s.c, height, width});
    std::vector<double> rows(size_t(s.h) * width);   // horizontally resized plane
    for (size_t p = 0; p < size_t(s.n) * s.c; ++p) {
        const float* in = images.data.data() + p * s.h * s.w;
        for (uint32_t y = 0; y < s.h; ++y)
            for (uint32_t x = 0; x < width; ++x) {
                double sum = 0;
                for (const Tap& t : xs[x]) sum += t.weight * in[size_t(y) * s.w + t.index];
                rows[size_t(y) * width + x] = sum;
            }
        float* o = out.data.data() + p * height * width;
        for (uint32_t y = 0; y < height; ++y)
            for (uint32_t x = 0; x < width; ++x) {
                double sum = 0;
                for (const Tap& t : ys[y]) sum += t.weight * rows[size_t(t.index) * width + x];
                o[size_t(y) * width + x] = float(sum);
            }
    }
    return out;
}

HostTensor centre_crop(const HostTensor& images, uint32_t width, uint32_t height) {
    const Shape& s = images.shape;
    if (width > s.w || height > s.h || width == 0 || height == 0)
        throw Error("internal: cannot crop " + std::to_string(width) + "x" + std::to_string(height) + " from " +
                    s.str());
    const uint32_t x0 = (s.w - width) / 2, y0 = (s.h - height) / 2;
    HostTensor out(Shape{s.n, s.c, height, width});
    for (size_t p = 0; p < size_t(s.n) * s.c; ++p)
        for (uint32_t y = 0; y < height; ++y) {
            const float* row = images.data.data() + (p * s.h + y0 + y) * s.w + x0;
            std::copy_n(row, width, out.data.begin() + (p * height + y) * width);
        }
    return out;
}

HostTensor centre_crop_square(const HostTensor& images) {
    uint32_t side = std::min(images.shape.w, images.shape.h);
    return centre_crop(images, side, side);
}

HostTensor image_grid(const HostTensor& images, uint32_t columns) {
    const Shape& s = images.shape;
    if (columns == 0 || s.n == 0) throw Error("internal: image_grid of " + s.str() + " in " + std::to_string(columns));
    columns = std::min(columns, s.n);
    const uint32_t rows = (s.n + columns - 1) / columns;
    HostTensor grid(Shape{1, s.c, rows * s.h, columns * s.w});
    for (uint32_t n = 0; n < s.n; ++n) {
        const uint32_t gx = (n % columns) * s.w, gy = (n / columns) * s.h;
        for (uint32_t c = 0; c < s.c; ++c)
            for (uint32_t y = 0; y < s.h; ++y)
                for (uint32_t x = 0; x < s.w; ++x) grid.at(0, c, gy + y, gx + x) = images.at(n, c, y, x);
    }
    return grid;
}

} // namespace vkcolor::io
