#include "vkcolor/data/dataset.hpp"

#include <algorithm>
#include <numeric>
#include <random>

#include "vkcolor/data/random.hpp"
#include "vkcolor/gpu/error.hpp"

namespace vkcolor::data {

namespace {

void require_channels(const HostTensor& t, uint32_t c, const char* what) {
    if (t.shape.c != c || t.data.size() != t.shape.count())
        throw Error(std::string("internal: ") + what + " needs " + std::to_string(c) + " channel(s), got " +
                    t.shape.str());
}

// Copies image `from` of `src` to image `to` of `dst` (same C, H, W).
void copy_image(const HostTensor& src, uint32_t from, HostTensor& dst, uint32_t to) {
    const size_t per_image = size_t(src.shape.c) * src.shape.h * src.shape.w;
    std::copy_n(src.data.begin() + from * per_image, per_image, dst.data.begin() + to * per_image);
}

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

Dataset::Dataset(HostTensor rgb, const Palette& palette, GreyMode grey_mode)
    : rgb_(std::move(rgb)), grey_(to_grey(rgb_, grey_mode)), classes_(colour_classes(rgb_, palette)),
      order_(rgb_.shape.n) {
    std::iota(order_.begin(), order_.end(), 0u);
}

void Dataset::shuffle(std::mt19937& rng) { fisher_yates(order_, rng); }

uint32_t Dataset::batch_count(uint32_t batch_size) const {
    if (batch_size == 0) throw Error("the batch size must be at least 1");
    return (size() + batch_size - 1) / batch_size;
}

Batch Dataset::batch(uint32_t b, uint32_t batch_size) const {
    if (b >= batch_count(batch_size))
        throw Error("internal: batch " + std::to_string(b) + " of " + std::to_string(batch_count(batch_size)));
    const uint32_t first = b * batch_size;
    const uint32_t n = std::min(batch_size, size() - first);
    const uint32_t h = rgb_.shape.h, w = rgb_.shape.w;
    Batch out{HostTensor(Shape{n, 3, h, w}), HostTensor(Shape{n, 1, h, w}), HostTensor(Shape{n, 1, h, w})};
    for (uint32_t i = 0; i < n; ++i) {
        uint32_t src = order_[first + i];
        copy_image(rgb_, src, out.rgb, i);
        copy_image(grey_, src, out.grey, i);
        copy_image(classes_, src, out.classes, i);
    }
    return out;
}

TrainValidation make_train_validation(HostTensor train_rgb, HostTensor validation_rgb, const Palette& palette,
                                      const DatasetOptions& options) {
    TrainValidation tv{Dataset(std::move(train_rgb), palette, options.grey_mode),
                       Dataset(std::move(validation_rgb), palette, options.grey_mode)};
    if (options.shuffle) {
        std::mt19937 rng(options.seed);
        tv.train.shuffle(rng);
        tv.validation.shuffle(rng);
    }
    return tv;
}

} // namespace vkcolor::data
