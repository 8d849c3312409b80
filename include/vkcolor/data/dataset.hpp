#pragma once
// The assignment's preprocessing and batching. Images are N x 3 x H x W floats on the pixel/256
// scale; the network input is a grey version, the targets are RGB (regression) or colour classes
// (classification: the nearest palette colour of each pixel).
#include <cstdint>
#include <random>
#include <vector>

#include "vkcolor/data/palette.hpp"
#include "vkcolor/data/task.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::data {

// N images of one size with the task's network inputs and targets.
struct Batch {
    HostTensor rgb;       // B x 3 x H x W, the images
    HostTensor input;     // B x task.input_channels() x H x W
    HostTensor target;    // B x task.target_channels() x H x W
};

class Dataset {
public:
    Dataset() = default;
    // Computes the task's input and target for every image; the order starts as given.
    Dataset(HostTensor rgb, const Palette& palette, const Task& task = {});

    uint32_t size() const { return rgb_.shape.n; }
    const HostTensor& rgb() const { return rgb_; }         // in the original (unshuffled) order
    const HostTensor& input() const { return input_; }
    const HostTensor& target() const { return target_; }
    const std::vector<uint32_t>& order() const { return order_; }

    // Permutes the current order with Fisher-Yates over `rng` (see random.hpp).
    void shuffle(std::mt19937& rng);

    // ceil(size / batch_size) batches; batch b holds images order[b*batch_size ..] (the last
    // batch may be smaller). Throws if batch_size is 0 or b is out of range.
    uint32_t batch_count(uint32_t batch_size) const;
    Batch batch(uint32_t b, uint32_t batch_size) const;

private:
    HostTensor rgb_, input_, target_;
    std::vector<uint32_t> order_;
};

struct DatasetOptions {
    uint32_t seed = 0;   // the assignment seeds numpy with 0
    bool shuffle = true;
    Task task;   // the CSC321 colourizer's by default: mean grey in, colour classes out
};

struct TrainValidation {
    Dataset train, validation;
};

// Like the assignment: one generator seeded once shuffles the training set, then the validation set.
TrainValidation make_train_validation(HostTensor train_rgb, HostTensor validation_rgb, const Palette& palette,
                                      const DatasetOptions& options = {});

} // namespace vkcolor::data
