#include "vkcolor/data/dataset.hpp"

#include <algorithm>
#include <numeric>
#include <random>

#include "vkcolor/data/random.hpp"
#include "vkcolor/gpu/error.hpp"

namespace vkcolor::data {

namespace {

// Copies image `from` of `src` to image `to` of `dst` (same C, H, W).
void copy_image(const HostTensor& src, uint32_t from, HostTensor& dst, uint32_t to) {
    const size_t per_image = size_t(src.shape.c) * src.shape.h * src.shape.w;
    std::copy_n(src.data.begin() + from * per_image, per_image, dst.data.begin() + to * per_image);
}

} // namespace

Dataset::Dataset(HostTensor rgb, const Palette& palette, const Task& task)
    : rgb_(std::move(rgb)), input_(task_input(task, rgb_)), target_(task_target(task, rgb_, palette)),
      order_(rgb_.shape.n) {
    std::iota(order_.begin(), order_.end(), 0u);
}

void Dataset::shuffle(std::mt19937& rng) { fisher_yates(order_, rng); }

uint32_t Dataset::batch_count(uint32_t batch_size) const {
    if (batch_size == 0) throw Error("the batch size must be at least 1");
    // In 64 bits: size() + batch_size - 1 wraps in 32 (a --batch of 4294967295 gave 0 batches).
    return static_cast<uint32_t>((uint64_t(size()) + batch_size - 1) / batch_size);
}

Batch Dataset::batch(uint32_t b, uint32_t batch_size) const {
    if (b >= batch_count(batch_size))
        throw Error("internal: batch " + std::to_string(b) + " of " + std::to_string(batch_count(batch_size)));
    const uint64_t first64 = uint64_t(b) * batch_size;   // < size() by the check above
    const uint32_t first = static_cast<uint32_t>(first64);
    const uint32_t n = std::min(batch_size, size() - first);
    const uint32_t h = rgb_.shape.h, w = rgb_.shape.w;
    Batch out{HostTensor(Shape{n, 3, h, w}), HostTensor(Shape{n, input_.shape.c, h, w}),
              HostTensor(Shape{n, target_.shape.c, h, w})};
    for (uint32_t i = 0; i < n; ++i) {
        uint32_t src = order_[first + i];
        copy_image(rgb_, src, out.rgb, i);
        copy_image(input_, src, out.input, i);
        copy_image(target_, src, out.target, i);
    }
    return out;
}

TrainValidation make_train_validation(HostTensor train_rgb, HostTensor validation_rgb, const Palette& palette,
                                      const DatasetOptions& options) {
    TrainValidation tv{Dataset(std::move(train_rgb), palette, options.task),
                       Dataset(std::move(validation_rgb), palette, options.task)};
    if (options.shuffle) {
        std::mt19937 rng(options.seed);
        tv.train.shuffle(rng);
        tv.validation.shuffle(rng);
    }
    return tv;
}

} // namespace vkcolor::data
