#pragma once
// Colouring a photo larger than the device can hold in one pass, in overlapping square tiles.
// The UNet family is fully convolutional and batch norm at inference is per pixel, so an output
// pixel depends only on the input within the network's receptive radius: each tile is run with a
// border of that radius (a halo) around the part that is kept, and the kept parts give the same
// bits as one pass over the whole image (tests/test_tiles.cpp checks that). Tiles are placed at
// multiples of the pooling depth, so every pooling window falls where it would in the whole
// image, and they are shifted inward at the image's edges, so all tiles have one shape.
#include <cstdint>
#include <functional>
#include <optional>

#include "vkcolor/model/graph.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::train {

// How far, in input pixels, an output pixel of `graph` sees (rounded up at each rescaling);
// nullopt for a graph that is not fully convolutional (a dense layer sees everything).
std::optional<uint32_t> receptive_radius(const model::Graph& graph);

struct TilePlan {
    uint32_t side = 0;   // of each tile, a multiple of `multiple`
    uint32_t halo = 0;   // dropped on each inner edge of a tile, a multiple of `multiple`
};

// The tiles for an input of `height` x `width` (multiples of `multiple`) when one tile may
// hold `max_pixels`; nullopt when the whole image fits (or the graph cannot be tiled).
std::optional<TilePlan> plan_tiles(const model::Graph& graph, uint32_t height, uint32_t width, uint32_t multiple,
                                   uint64_t max_pixels);

// `predict` over the tiles of `input` (1 x C x H x W), assembled into its 1 x K x H x W output.
HostTensor predict_in_tiles(const std::function<HostTensor(const HostTensor&)>& predict, const HostTensor& input,
                            const TilePlan& plan);

} // namespace vkcolor::train
