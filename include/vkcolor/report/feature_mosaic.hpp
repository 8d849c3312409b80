#pragma once
// A picture of one layer's feature maps, as the CSC321 assignment showed out1..out5: every map a
// grey tile, `per_row` tiles to a row, in channel order.
//   - each map is min-max scaled to [0, 1] on its own (so every map uses the whole grey range;
//     maps are not comparable in brightness), and a constant map is black (0);
//   - each tile is the map magnified `zoom` times by pixel repetition (nearest neighbour);
//   - a 1-pixel border of k_mosaic_border separates the tiles and surrounds the grid; the unused
//     cells of a last, partial row are border colour too.
// For C maps of H x W: columns = min(C, per_row), rows = ceil(C / per_row), and the picture is
// 1 x 3 x (rows (H zoom + 1) + 1) x (columns (W zoom + 1) + 1).
#include <array>
#include <cstdint>

#include "vkcolor/tensor.hpp"

namespace vkcolor::report {

// A blue no grey map value can take, so the borders never blend into the tiles.
inline constexpr std::array<float, 3> k_mosaic_border = {0.2f, 0.4f, 0.8f};

// `maps`: 1 x C x H x W (one image's activations). Throws vkcolor::Error("internal: ...") for a
// batch of more than one image, an empty tensor, or a zoom or per_row of 0.
HostTensor feature_mosaic(const HostTensor& maps, uint32_t zoom = 4, uint32_t per_row = 4);

} // namespace vkcolor::report
