#pragma once
// A procedural dataset of 32x32 outdoor scenes, generated in code, for training and testing a
// colourizer without downloading anything. Colours follow from shape, texture and position, so
// grey -> colour is learnable: a vertical sky gradient (day blue, sunset orange/purple or overcast
// grey), a bright sun disc with a glow, white clouds shaded underneath, blue-green distant hills,
// green grass with a noisy texture, water with horizontal ripples and highlights, trees (brown
// trunk, round or conifer green canopy) and houses (walls in a few colours, red/grey/brown roofs,
// pale windows, a brown door), far objects first and smaller.
//
// Image i depends only on (seed, i): generating 10 or 10000 images gives the same first 10, and
// a validation set can be taken from indices after the training set's. The same build gives the
// same images every time; the drawing uses libm (sin, hypot), so another C library may move a
// pixel by one step. Pixel values lie on the
// pixel/256 grid, like images loaded from files, so they survive a PNG round trip exactly.
#include <cstdint>

#include "vkcolor/tensor.hpp"

namespace vkcolor::data {

inline constexpr uint32_t synthetic_side = 32;

// Images first_index .. first_index + count - 1 of the scene sequence of `seed`, N x 3 x 32 x 32.
HostTensor synthetic_scenes(uint32_t count, uint64_t seed, uint64_t first_index = 0);

} // namespace vkcolor::data
