#pragma once
// The assignment's preprocessing and batching. Images are N x 3 x H x W floats on the pixel/256
// scale; the network input is a grey version, the targets are RGB (regression) or colour classes
// (classification: the nearest palette colour of each pixel).
#include <cstdint>
#include <random>
#include <vector>

#include "vkcolor/data/palette.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::data {

enum class GreyMode {
    mean,   // (R + G + B) / 3, as the assignment does
    luma,   // 0.21 R + 0.72 G + 0.07 B, closer to perceived brightness
};

// N x 1 x H x W grey images from N x 3 x H x W RGB images.
HostTensor to_grey(const HostTensor& rgb, GreyMode mode = GreyMode::mean);

// N x 1 x H x W exact integer floats: the index of each pixel's nearest palette colour (ties to
// the lowest index).
HostTensor colour_classes(const HostTensor& rgb, const Palette& palette);

// N x 3 x H x W: each class replaced by its palette colour. Throws on a class outside the palette.
HostTensor quantised_rgb(const HostTensor& classes, const Palette& palette);

// N images of one size with their grey inputs and colour-class targets.
struct Batch {
    HostTensor rgb;       // B x 3 x H x W
    HostTensor grey;      // B x 1 x H x W
    HostTensor classes;   // B x 1 x H x W
};

class Dataset {
public:
    Dataset() = default;
    // Computes grey and classes for every image; the order starts as given.
    Dataset(HostTensor rgb, const Palette& palette, GreyMode grey_mode = GreyMode::mean);

    uint32_t size() const { return rgb_.shape.n; }
    const HostTensor& rgb() const { return rgb_; }         // in the original (unshuffled) order
    const HostTensor& grey() const { return grey_; }
    const HostTensor& classes() const { return classes_; }
    const std::vector<uint32_t>& order() const { return order_; }

    // Permutes the current order with Fisher-Yates over `rng` (see random.hpp).
    void shuffle(std::mt19937& rng);

    // ceil(size / batch_size) batches; batch b holds images order[b*batch_size ..] (the last
    // batch may be smaller). Throws if batch_size is 0 or b is out of range.
    uint32_t batch_count(uint32_t batch_size) const;
    Batch batch(uint32_t b, uint32_t batch_size) const;

private:
    HostTensor rgb_, grey_, classes_;
    std::vector<uint32_t> order_;
};

struct DatasetOptions {
    uint32_t seed = 0;   // the assignment seeds numpy with 0
    bool shuffle = true;
    GreyMode grey_mode = GreyMode::mean;
};

struct TrainValidation {
    Dataset train, validation;
};

// Like the assignment: one generator seeded once shuffles the training set, then the validation set.
TrainValidation make_train_validation(HostTensor train_rgb, HostTensor validation_rgb, const Palette& palette,
                                      const DatasetOptions& options = {});

} // namespace vkcolor::data
