#pragma once
// Internal: the only place that touches stb_image / stb_image_write (src/io/stb_codec.cpp).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace vkcolor::io::detail {

struct DecodedImage {
    uint32_t width = 0, height = 0;
    std::vector<uint8_t> rgb;   // interleaved R G B bytes, row-major
    std::string error;          // set (and rgb empty) when decoding failed
};

// PNG or JPEG, grey or colour (alpha is dropped). Images over max_pixels are refused unread.
DecodedImage decode_image(std::span<const uint8_t> file_bytes, uint64_t max_pixels);

// PNG bytes of interleaved 8-bit pixels with 1 (grey) or 3 (RGB) channels; empty on failure.
std::vector<uint8_t> encode_png(uint32_t width, uint32_t height, uint32_t channels, std::span<const uint8_t> pixels);

} // namespace vkcolor::io::detail
