#pragma once
// Image files and simple image geometry. An image is a HostTensor of shape 1 x C x H x W.
//
// Scale: vkcolor's networks take pixel/256 (the assignment's convention, so a byte b maps to
// b/256 in [0, 255/256]), and the loaders here use the same scale, so images from files and from
// CIFAR-10 are interchangeable. Saving inverts it exactly: byte = clamp(floor(v * 256), 0, 255).
#include <cstdint>
#include <filesystem>
#include <span>

#include "vkcolor/io/file.hpp"

#include "vkcolor/tensor.hpp"

namespace vkcolor::io {

// Images larger than this are refused before decoding (a 100-megapixel float image is 1.2 GB).
inline constexpr uint64_t max_image_pixels = 100'000'000;
// Image files larger than this are refused unread (a PNG of max_image_pixels is far smaller).
inline constexpr uint64_t max_image_file_bytes = 512ull << 20;

// A PNG or JPEG file (grey, grey+alpha, RGB or RGBA; alpha is ignored) as 1 x 3 x H x W, pixel/256.
// Throws vkcolor::Error "<path>: ..." if the file is missing, unreadable or not a PNG/JPEG.
HostTensor load_image(const std::filesystem::path& path);
// The same for a file's bytes already read; `path` names it in errors.
HostTensor decode_image(std::span<const uint8_t> file_bytes, const std::filesystem::path& path);

// 1 x 1 x H x W (grey) or 1 x 3 x H x W (RGB) as an 8-bit PNG, written atomically.
void save_png(const std::filesystem::path& path, const HostTensor& image, OnExisting existing = OnExisting::replace);

// Area (box) resampling of every image of an N x C x H x W tensor: each output pixel is the mean
// of the input area it covers, with fractional weights at the edges. This is the right filter for
// downscaling (it does not alias); upscaling by an integer factor repeats pixels.
HostTensor resize_area(const HostTensor& images, uint32_t width, uint32_t height);

// The centred width x height window ((W - width) / 2 columns cut on the left, rounding down).
HostTensor centre_crop(const HostTensor& images, uint32_t width, uint32_t height);

// The largest centred square.
HostTensor centre_crop_square(const HostTensor& images);

// N x C x H x W laid out as a 1 x C x (rows*H) x (columns*W) grid, row-major, unused cells black.
HostTensor image_grid(const HostTensor& images, uint32_t columns);

} // namespace vkcolor::io
