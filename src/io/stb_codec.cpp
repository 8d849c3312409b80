// stb_image and stb_image_write are compiled here from Debian's libstb-dev headers rather than
// linked from libstb.so: this way only the PNG and JPEG decoders exist (less attack surface for
// user-supplied image folders), all stb functions are static to this file (no symbol clashes),
// and the build works where stb ships as headers only. CMakeLists.txt silences warnings in this
// file only: they are stb's, not ours.
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_NO_STDIO
#define STBI_NO_LINEAR
#define STBI_NO_HDR
#include <stb/stb_image.h>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#define STBI_WRITE_NO_STDIO
#include <stb/stb_image_write.h>

#include <climits>

#include "stb_codec.hpp"

namespace vkcolor::io::detail {

DecodedImage decode_image(std::span<const uint8_t> bytes, uint64_t max_pixels) {
    DecodedImage out;
    if (bytes.size() > size_t(INT_MAX)) {
        out.error = "file too large";
        return out;
    }
    int w = 0, h = 0, channels = 0;
    const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
    if (!stbi_info_from_memory(data, int(bytes.size()), &w, &h, &channels)) {
        out.error = std::string("not a readable PNG or JPEG image (") + stbi_failure_reason() + ")";
        return out;
    }
    if (uint64_t(w) * uint64_t(h) > max_pixels) {
        out.error = "image too large (" + std::to_string(w) + "x" + std::to_string(h) + " pixels)";
        return out;
    }
    stbi_uc* pixels = stbi_load_from_memory(data, int(bytes.size()), &w, &h, &channels, 3);
    if (!pixels) {
        out.error = std::string("cannot decode the image (") + stbi_failure_reason() + ")";
        return out;
    }
    out.width = uint32_t(w);
    out.height = uint32_t(h);
    out.rgb.assign(pixels, pixels + size_t(w) * h * 3);
    stbi_image_free(pixels);
    return out;
}

std::vector<uint8_t> encode_png(uint32_t width, uint32_t height, uint32_t channels, std::span<const uint8_t> pixels) {
    std::vector<uint8_t> png;
    auto append = [](void* context, void* data, int size) {
        auto* out = static_cast<std::vector<uint8_t>*>(context);
        auto* p = static_cast<const uint8_t*>(data);
        out->insert(out->end(), p, p + size);
    };
    if (width == 0 || height == 0 || width > INT_MAX / channels || height > INT_MAX) return {};
    int ok = stbi_write_png_to_func(append, &png, int(width), int(height), int(channels), pixels.data(),
                                    int(width * channels));
    return ok ? png : std::vector<uint8_t>{};
}

} // namespace vkcolor::io::detail
