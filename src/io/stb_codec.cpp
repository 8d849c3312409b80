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

#include <algorithm>
#include <climits>
#include <string>

#include "stb_codec.hpp"

namespace vkcolor::io::detail {

namespace {

uint32_t big_endian(std::span<const uint8_t> b, size_t at, size_t n) {
    uint32_t v = 0;
    for (size_t i = 0; i < n; ++i) v = v << 8 | b[at + i];
    return v;
}

// The size a PNG or JPEG header declares, read with every offset checked (the file is
// untrusted): stb reports a too-large image only as "unknown image type", its reason for the
// last format it tried.
struct Header {
    const char* format = nullptr;   // "PNG", "JPEG", or null: neither signature
    uint32_t width = 0, height = 0; // 0: not found
};

Header read_header(std::span<const uint8_t> b) {
    Header h;
    static const uint8_t png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (b.size() >= 8 && std::equal(png, png + 8, b.begin())) {
        h.format = "PNG";
        if (b.size() >= 24 && std::equal(b.begin() + 12, b.begin() + 16, "IHDR")) {
            h.width = big_endian(b, 16, 4);
            h.height = big_endian(b, 20, 4);
        }
        return h;
    }
    if (b.size() >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff) {
        h.format = "JPEG";
        // Segments: FF, marker, 16-bit length (including itself); a start-of-frame marker (C0-CF
        // but C4, C8, CC) holds precision, height, width.
        size_t at = 2;
        while (at + 4 <= b.size() && b[at] == 0xff) {
            const uint8_t marker = b[at + 1];
            if (marker == 0xff) { ++at; continue; }   // fill byte
            const size_t length = big_endian(b, at + 2, 2);
            const bool sof = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
            if (sof && at + 9 <= b.size()) {
                h.height = big_endian(b, at + 5, 2);
                h.width = big_endian(b, at + 7, 2);
                break;
            }
            if (length < 2 || marker == 0xda) break;   // malformed, or the entropy-coded data begins
            at += 2 + length;
        }
    }
    return h;
}

std::string too_large(uint64_t w, uint64_t h, uint64_t max_pixels) {
    return "image too large (" + std::to_string(w) + "x" + std::to_string(h) + " pixels; the limit is " +
           std::to_string(max_pixels) + ")";
}

// stb's reason, or what to say when it gave none.
std::string stb_reason(const char* fallback) {
    const char* r = stbi_failure_reason();
    return r && *r ? r : fallback;
}

} // namespace

DecodedImage decode_image(std::span<const uint8_t> bytes, uint64_t max_pixels) {
    DecodedImage out;
    if (bytes.size() > size_t(INT_MAX)) {
        out.error = "file too large";
        return out;
    }
    int w = 0, h = 0, channels = 0;
    const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
    if (bytes.empty()) {
        out.error = "an empty file, not an image";
        return out;
    }
    if (!stbi_info_from_memory(data, int(bytes.size()), &w, &h, &channels)) {
        const Header header = read_header(bytes);
        if (!header.format)
            out.error = "not a PNG or JPEG image";
        else if (uint64_t(header.width) * header.height > max_pixels)
            out.error = too_large(header.width, header.height, max_pixels);
        else
            out.error = std::string("a damaged or unsupported ") + header.format + " (its header cannot be read)";
        return out;
    }
    if (uint64_t(w) * uint64_t(h) > max_pixels) {
        out.error = too_large(w, h, max_pixels);
        return out;
    }
    stbi_uc* pixels = stbi_load_from_memory(data, int(bytes.size()), &w, &h, &channels, 3);
    if (!pixels) {
        out.error = "cannot decode the image (" + stb_reason("its data is damaged or ends early") + ")";
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
