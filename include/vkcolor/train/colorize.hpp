#pragma once
// Colouring images of any size with a trained checkpoint (`vkcolor infer`): the nets are fully
// convolutional, so an image is padded to a multiple of 4 (edge pixels repeated, which keeps
// batch-norm statistics closer to the image's than zeros would), run (in tiles when it is too big
// for the device in one pass), and cropped back.
#include <filesystem>
#include <memory>

#include "vkcolor/data/photo_output.hpp"
#include "vkcolor/gpu/context.hpp"
#include "vkcolor/train/backend.hpp"
#include "vkcolor/train/checkpoint.hpp"

namespace vkcolor::train {

class Colorizer {
public:
    // ctx null: the CPU reference.
    Colorizer(const Checkpoint& checkpoint, gpu::Context* ctx);
    // rgb: 1 x 3 x H x W (or 1 x 1 x H x W grey) on the pixel/256 scale, made into the model's
    // input (grey, Y, the low-resolution image, ...). Returns the 1 x 3 x H x W picture: by
    // default the photo's own luminance with the predicted colour (data/photo_output.hpp), or
    // the network's own picture with `output.raw`.
    // An image of more pixels than max_tile_pixels() runs in tiles (train/tiles.hpp).
    HostTensor colorize(const HostTensor& image, const data::PhotoOutput& output = {});
    const model::Graph& graph() const { return graph_; }
    // On a GPU: what fits the device's storage-buffer limit (the largest activation per pixel
    // times the pixels); on the CPU reference 2^24 pixels, to bound memory. Tests set less.
    uint64_t max_tile_pixels() const { return max_tile_pixels_; }
    void set_max_tile_pixels(uint64_t pixels) { max_tile_pixels_ = pixels; }

private:
    model::Graph graph_;
    data::Task task_;
    data::Palette palette_;
    std::unique_ptr<Backend> backend_;
    uint64_t max_tile_pixels_ = 0;
};

// Edge-replicating pad of an N x C x H x W tensor to H' x W' (H' >= H, W' >= W), bottom and right.
HostTensor pad_edges(const HostTensor& t, uint32_t height, uint32_t width);

} // namespace vkcolor::train
