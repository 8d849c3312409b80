#pragma once
// Colour palettes: the K colours that colour classes index, RGB in [0, 1] on the pixel/256 scale.
#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "vkcolor/tensor.hpp"

namespace vkcolor::data {

using Rgb = std::array<float, 3>;

struct Palette {
    std::vector<Rgb> colours;   // colours[i] is colour class i
    size_t size() const { return colours.size(); }
    bool operator==(const Palette&) const = default;
};

// The assignment's 24 colours (colours/colour_kmeans24_cat7.npy: k-means centres of CIFAR-10 horse
// training pixels), embedded so that no file is needed.
const Palette& default_palette();

// Text format: lines starting with '#' (and blank lines) are comments; every other line holds the
// three floats R G B of one colour, in [0, 1]. Throws vkcolor::Error naming the file and line.
Palette load_palette(const std::filesystem::path& path);
// Writes that format atomically, with `comment` (may be several lines) as '#' lines first. Values
// are printed with 17 significant digits, so load_palette(save_palette(p)) == p exactly.
void save_palette(const std::filesystem::path& path, const Palette& palette, const std::string& comment = "");

// Index of the colour nearest to (r, g, b) by Euclidean distance; ties go to the lowest index
// (numpy's argmin, as the assignment uses).
uint32_t nearest_colour(const Palette& palette, float r, float g, float b);

struct KMeansOptions {
    uint32_t max_iterations = 100;   // Lloyd iterations; stops earlier when no pixel changes class
};

// K colours clustering every pixel of `images` (N x 3 x H x W): k-means++ initialisation with
// std::mt19937(seed), then Lloyd iterations. Deterministic: the same input and seed give the same
// palette (vkcolor's own random functions, not std::*_distribution; sums in double, in pixel order).
// A cluster that loses all its pixels keeps its previous centre. Throws if there are fewer pixels
// than K or K is 0.
Palette compute_palette(const HostTensor& images, uint32_t k, uint32_t seed, const KMeansOptions& options = {});

} // namespace vkcolor::data
