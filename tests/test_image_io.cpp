// Image files (PNG/JPEG via stb), resampling, cropping, grids, and image-folder datasets.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "data_helpers.hpp"
#include "vkcolor/data/image_folder.hpp"
#include "vkcolor/io/image.hpp"

using namespace vkcolor;
using namespace vkcolor::io;
using vkcolor::test::ScratchDir;

namespace {

// A 16x8 baseline JPEG (quality 95, no chroma subsampling) made once with Pillow: the left half
// is RGB (200, 30, 30), the right half (30, 30, 200).
const std::vector<uint8_t> red_blue_jpeg = {
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xdb, 0x00, 0x43,
    0x00, 0x02, 0x01, 0x01, 0x01, 0x01, 0x01, 0x02, 0x01, 0x01, 0x01, 0x02, 0x02, 0x02, 0x02, 0x02, 0x04, 0x03, 0x02, 0x02, 0x02, 0x02, 0x05, 0x04,
    0x04, 0x03, 0x04, 0x06, 0x05, 0x06, 0x06, 0x06, 0x05, 0x06, 0x06, 0x06, 0x07, 0x09, 0x08, 0x06, 0x07, 0x09, 0x07, 0x06, 0x06, 0x08, 0x0b, 0x08,
    0x09, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x06, 0x08, 0x0b, 0x0c, 0x0b, 0x0a, 0x0c, 0x09, 0x0a, 0x0a, 0x0a, 0xff, 0xdb, 0x00, 0x43, 0x01, 0x02, 0x02,
    0x02, 0x02, 0x02, 0x02, 0x05, 0x03, 0x03, 0x05, 0x0a, 0x07, 0x06, 0x07, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a,
    0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a,
    0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x08, 0x00, 0x10, 0x03,
    0x01, 0x11, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xff, 0xc4, 0x00, 0x1f, 0x00, 0x00, 0x01, 0x05, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0xff, 0xc4, 0x00, 0xb5, 0x10, 0x00,
    0x02, 0x01, 0x03, 0x03, 0x02, 0x04, 0x03, 0x05, 0x05, 0x04, 0x04, 0x00, 0x00, 0x01, 0x7d, 0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21,
    0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24,
    0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a,
    0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a,
    0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99,
    0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6,
    0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1,
    0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xff, 0xc4, 0x00, 0x1f, 0x01, 0x00, 0x03, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
    0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0xff, 0xc4, 0x00, 0xb5, 0x11, 0x00,
    0x02, 0x01, 0x02, 0x04, 0x04, 0x03, 0x04, 0x07, 0x05, 0x04, 0x04, 0x00, 0x01, 0x02, 0x77, 0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31,
    0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0, 0x15,
    0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39,
    0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
    0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97,
    0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4,
    0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea,
    0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3f, 0x00, 0xf9,
    0x0e, 0xbf, 0x0b, 0x3f, 0xd5, 0x43, 0xe7, 0xfa, 0xff, 0x00, 0x72, 0x0f, 0xf1, 0xcc, 0xff, 0xd9,
};

// w x h image whose channel c at (x, y) is ((x * 7 + y * 13 + c * 50) mod 256) / 256.
HostTensor pattern(uint32_t channels, uint32_t w, uint32_t h) {
    HostTensor t(Shape{1, channels, h, w});
    for (uint32_t c = 0; c < channels; ++c)
        for (uint32_t y = 0; y < h; ++y)
            for (uint32_t x = 0; x < w; ++x) t.at(0, c, y, x) = float((x * 7 + y * 13 + c * 50) % 256) / 256.0f;
    return t;
}

// A 1x3xHxW image of one colour.
HostTensor solid(uint32_t w, uint32_t h, float r, float g, float b) {
    HostTensor t(Shape{1, 3, h, w});
    for (uint32_t y = 0; y < h; ++y)
        for (uint32_t x = 0; x < w; ++x) t.at(0, 0, y, x) = r, t.at(0, 1, y, x) = g, t.at(0, 2, y, x) = b;
    return t;
}

} // namespace

TEST_CASE("PNG round trip is exact on the pixel/256 grid, colour and grey", "[image]") {
    ScratchDir dir;
    HostTensor rgb = pattern(3, 37, 23);
    save_png(dir / "rgb.png", rgb);
    HostTensor back = load_image(dir / "rgb.png");
    REQUIRE(back.shape == Shape{1, 3, 23, 37});
    CHECK(back.data == rgb.data);

    HostTensor grey = pattern(1, 5, 9);
    save_png(dir / "grey.png", grey);
    HostTensor g3 = load_image(dir / "grey.png");   // grey files load as three equal channels
    REQUIRE(g3.shape == Shape{1, 3, 9, 5});
    for (uint32_t c = 0; c < 3; ++c)
        for (uint32_t y = 0; y < 9; ++y)
            for (uint32_t x = 0; x < 5; ++x) CHECK(g3.at(0, c, y, x) == grey.at(0, 0, y, x));

    // Saving clamps and floors: 1.0 -> 255, -0.5 -> 0, 0.5 + tiny -> 128, NaN -> 0.
    HostTensor odd(Shape{1, 1, 1, 4});
    odd.data = {1.0f, -0.5f, 0.5f + 1e-4f, NAN};
    save_png(dir / "odd.png", odd);
    CHECK(load_image(dir / "odd.png").data ==
          std::vector<float>{255.f / 256, 0, 128.f / 256, 0, 255.f / 256, 0, 128.f / 256, 0, 255.f / 256, 0, 128.f / 256, 0});
    CHECK(dir.names() == std::vector<std::string>{"grey.png", "odd.png", "rgb.png"});   // no temporaries left
}

TEST_CASE("JPEG files decode to the expected colours", "[image]") {
    ScratchDir dir;
    test::write_bytes(dir / "rb.jpg", red_blue_jpeg);
    HostTensor t = load_image(dir / "rb.jpg");
    REQUIRE(t.shape == Shape{1, 3, 8, 16});
    // Lossy, so allow a few levels; the middle columns ring a little more at the sharp edge.
    CHECK(t.at(0, 0, 2, 2) * 256 == Approx(200).margin(3));
    CHECK(t.at(0, 1, 2, 2) * 256 == Approx(30).margin(3));
    CHECK(t.at(0, 2, 2, 2) * 256 == Approx(30).margin(3));
    CHECK(t.at(0, 0, 5, 13) * 256 == Approx(30).margin(3));
    CHECK(t.at(0, 2, 5, 13) * 256 == Approx(200).margin(3));
}

TEST_CASE("bad image files give one clear error naming the file", "[image]") {
    ScratchDir dir;
    REQUIRE_ERROR_CONTAINS(load_image(dir / "missing.png"), "missing.png", "cannot open");
    test::write_text(dir / "text.png", "this is not an image");
    REQUIRE_ERROR_CONTAINS(load_image(dir / "text.png"), "text.png", "not a PNG or JPEG image");
    test::write_bytes(dir / "empty.jpg", {});
    REQUIRE_ERROR_CONTAINS(load_image(dir / "empty.jpg"), "empty.jpg", "an empty file");
    // Headers declaring more pixels than stb decodes: stb itself says only "unknown image type".
    std::vector<uint8_t> png_header = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                                       0, 0, 0xea, 0x60, 0, 0, 0xea, 0x60, 8, 0, 0, 0, 0, 0, 0, 0, 0};   // 60000x60000
    test::write_bytes(dir / "huge.png", png_header);
    REQUIRE_ERROR_CONTAINS(load_image(dir / "huge.png"), "huge.png", "image too large (60000x60000 pixels");
    std::vector<uint8_t> jpeg_header = {0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0,                 // SOI, APP0 of 2 bytes
                                        0xff, 0xc0, 0, 11, 8, 0xea, 0x60, 0xea, 0x60, 1, 1, 0x11, 0};   // SOF0 60000x60000
    test::write_bytes(dir / "huge.jpg", jpeg_header);
    REQUIRE_ERROR_CONTAINS(load_image(dir / "huge.jpg"), "huge.jpg", "image too large (60000x60000 pixels");
    // A PNG signature with a broken header.
    test::write_bytes(dir / "broken.png", std::vector<uint8_t>(png_header.begin(), png_header.begin() + 10));
    REQUIRE_ERROR_CONTAINS(load_image(dir / "broken.png"), "broken.png", "a damaged or unsupported PNG");
    // A truncated PNG: the header is intact, the pixel data is cut off.
    save_png(dir / "whole.png", pattern(3, 64, 64));
    auto bytes = test::read_bytes(dir / "whole.png");
    bytes.resize(bytes.size() / 2);
    test::write_bytes(dir / "half.png", bytes);
    REQUIRE_ERROR_CONTAINS(load_image(dir / "half.png"), "half.png", "cannot decode");
    // A truncated JPEG.
    test::write_bytes(dir / "half.jpg", std::vector<uint8_t>(red_blue_jpeg.begin(), red_blue_jpeg.begin() + 100));
    REQUIRE_ERROR_CONTAINS(load_image(dir / "half.jpg"), "half.jpg");
    // Formats other than PNG and JPEG are not compiled in (a minimal BMP header).
    std::vector<uint8_t> bmp = {'B', 'M', 58, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0, 40, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0,
                                1, 0, 24, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                255, 0, 0, 0};
    test::write_bytes(dir / "x.bmp", bmp);
    REQUIRE_ERROR_CONTAINS(load_image(dir / "x.bmp"), "x.bmp", "not a PNG or JPEG image");
    REQUIRE_ERROR_CONTAINS(load_image(dir.path), "is a directory");
    REQUIRE_ERROR_CONTAINS(save_png(dir / "bad.png", HostTensor(Shape{2, 3, 4, 4})), "bad.png", "2x3x4x4");
    REQUIRE_ERROR_CONTAINS(save_png(dir / "bad.png", HostTensor(Shape{1, 2, 4, 4})), "bad.png");
}

TEST_CASE("saving is atomic: a failed save leaves no partial file and the old one intact", "[image]") {
    ScratchDir dir;
    save_png(dir / "keep.png", pattern(3, 8, 8));
    auto before = test::read_bytes(dir / "keep.png");
    save_png(dir / "keep.png", pattern(3, 9, 9));   // replacing works
    CHECK(load_image(dir / "keep.png").shape == Shape{1, 3, 9, 9});
    before = test::read_bytes(dir / "keep.png");

    // The target is a non-empty directory: the final rename fails (even for root).
    std::filesystem::create_directories(dir / "taken.png" / "inside");
    REQUIRE_ERROR_CONTAINS(save_png(dir / "taken.png", pattern(3, 8, 8)), "taken.png", "cannot replace");
    CHECK(std::filesystem::is_directory(dir / "taken.png" / "inside"));
    // A directory that does not exist.
    REQUIRE_ERROR_CONTAINS(save_png(dir / "no" / "such.png", pattern(3, 8, 8)), "such.png", "temporary file");
    CHECK(dir.names() == std::vector<std::string>{"keep.png", "taken.png"});
    CHECK(test::read_bytes(dir / "keep.png") == before);
}

TEST_CASE("saved files get the usual permissions (0666 less the umask)", "[image]") {
    ScratchDir dir;
    mode_t old = umask(027);
    save_png(dir / "a.png", pattern(1, 2, 2));
    umask(old);
    auto perms = std::filesystem::status(dir / "a.png").permissions();
    CHECK(perms == (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                    std::filesystem::perms::group_read));
}

TEST_CASE("area resize averages covered pixels with fractional weights", "[image]") {
    HostTensor row(Shape{1, 1, 1, 3});
    row.data = {0, 3, 6};
    // 3 -> 2: each output covers 1.5 inputs: (0 + 0.5*3)/1.5 = 1 and (0.5*3 + 6)/1.5 = 5.
    HostTensor r = resize_area(row, 2, 1);
    CHECK(r.data[0] == Approx(1));
    CHECK(r.data[1] == Approx(5));

    HostTensor sq(Shape{1, 1, 4, 4});
    for (size_t i = 0; i < 16; ++i) sq.data[i] = float(i);
    HostTensor half = resize_area(sq, 2, 2);   // means of 2x2 blocks
    CHECK(half.data == std::vector<float>{2.5f, 4.5f, 10.5f, 12.5f});
    HostTensor one = resize_area(sq, 1, 1);
    CHECK(one.data[0] == Approx(7.5f));
    HostTensor up = resize_area(half, 4, 4);   // integer upscaling repeats pixels
    CHECK(up.data == std::vector<float>{2.5f, 2.5f, 4.5f, 4.5f, 2.5f, 2.5f, 4.5f, 4.5f,
                                        10.5f, 10.5f, 12.5f, 12.5f, 10.5f, 10.5f, 12.5f, 12.5f});
    // Every image and channel is resized; a constant stays constant under any ratio.
    HostTensor c(Shape{2, 3, 37, 23}, 0.25f);
    HostTensor rc = resize_area(c, 7, 11);
    REQUIRE(rc.shape == Shape{2, 3, 11, 7});
    for (float v : rc.data) CHECK(v == Approx(0.25f));
    REQUIRE_ERROR_CONTAINS(resize_area(c, 0, 4), "resize");
}

TEST_CASE("centre crops and grids", "[image]") {
    HostTensor t(Shape{1, 1, 4, 5});
    for (size_t i = 0; i < 20; ++i) t.data[i] = float(i);
    HostTensor c = centre_crop(t, 3, 2);   // cuts (5-3)/2 = 1 column left and (4-2)/2 = 1 row top
    CHECK(c.data == std::vector<float>{6, 7, 8, 11, 12, 13});
    HostTensor sq = centre_crop_square(t);   // 4x4, cut column offset (5-4)/2 = 0
    REQUIRE(sq.shape == Shape{1, 1, 4, 4});
    CHECK(sq.data[0] == 0);
    CHECK(sq.data[15] == 18);
    REQUIRE_ERROR_CONTAINS(centre_crop(t, 6, 2), "crop");

    HostTensor three(Shape{3, 1, 1, 2});
    three.data = {1, 2, 3, 4, 5, 6};
    HostTensor grid = image_grid(three, 2);   // 2 columns, 2 rows, the last cell black
    REQUIRE(grid.shape == Shape{1, 1, 2, 4});
    CHECK(grid.data == std::vector<float>{1, 2, 3, 4, 5, 6, 0, 0});
}

TEST_CASE("image folders: recursive, sorted, centre-cropped and resized to 32x32", "[image][image_folder]") {
    ScratchDir dir;
    // 64x48: left 32 columns red, right 32 blue. The centred 48x48 square keeps 24 of each.
    HostTensor wide = solid(64, 48, 0.75f, 0, 0);
    for (uint32_t y = 0; y < 48; ++y)
        for (uint32_t x = 32; x < 64; ++x) wide.at(0, 0, y, x) = 0, wide.at(0, 2, y, x) = 0.5f;
    save_png(dir / "b_wide.png", wide);
    std::filesystem::create_directories(dir / "a_sub" / "deeper");
    save_png(dir / "a_sub" / "deeper" / "small.PNG", solid(20, 10, 0.25f, 0.5f, 0));   // upscaled
    test::write_bytes(dir / "a_sub" / "photo.JPEG", red_blue_jpeg);
    test::write_text(dir / "notes.txt", "ignored: not an image name");
    test::write_text(dir / "._b_wide.png", "macOS resource fork: hidden, ignored");
    std::filesystem::create_directories(dir / ".cache");
    save_png(dir / ".cache" / "thumb.png", solid(4, 4, 0, 0, 0));   // in a hidden folder: ignored

    data::ImageFolder f = data::load_image_folder(dir.path);
    REQUIRE(f.files.size() == 3);
    CHECK(f.skipped.empty());
    // Sorted by path, element by element: a_sub/deeper/... < a_sub/photo.JPEG < b_wide.png.
    CHECK(f.files[0].filename() == "small.PNG");
    CHECK(f.files[1].filename() == "photo.JPEG");
    CHECK(f.files[2].filename() == "b_wide.png");
    REQUIRE(f.images.shape == Shape{3, 3, 32, 32});
    // b_wide: columns 0..15 come only from red input, 16..31 only from blue (1.5 inputs per output).
    CHECK(f.images.at(2, 0, 10, 15) == 0.75f);
    CHECK(f.images.at(2, 2, 10, 15) == 0.0f);
    CHECK(f.images.at(2, 0, 10, 16) == 0.0f);
    CHECK(f.images.at(2, 2, 10, 16) == 0.5f);
    CHECK(f.images.at(0, 1, 31, 31) == 0.5f);   // a 10x10 crop of a solid image, upscaled
}

TEST_CASE("image folders: unreadable files are skipped and reported, or fail on request", "[image][image_folder]") {
    ScratchDir dir;
    save_png(dir / "good.png", solid(40, 40, 0.5f, 0.5f, 0.5f));
    test::write_text(dir / "broken.jpg", "not a jpeg");

    data::ImageFolder f = data::load_image_folder(dir.path);
    CHECK(f.files.size() == 1);
    REQUIRE(f.skipped.size() == 1);
    CHECK_THAT(f.skipped[0], Catch::Contains("broken.jpg") && Catch::Contains("not a PNG or JPEG image"));

    data::ImageFolderOptions strict;
    strict.unreadable = data::UnreadableFiles::fail;
    REQUIRE_ERROR_CONTAINS(data::load_image_folder(dir.path, strict), "broken.jpg");

    data::ImageFolderOptions sixteen;
    sixteen.side = 16;
    CHECK(data::load_image_folder(dir.path, sixteen).images.shape == Shape{1, 3, 16, 16});

    std::filesystem::remove(dir / "good.png");
    REQUIRE_ERROR_CONTAINS(data::load_image_folder(dir.path), dir.path.string(), "no readable", "1 unreadable");
    std::filesystem::remove(dir / "broken.jpg");
    REQUIRE_ERROR_CONTAINS(data::load_image_folder(dir.path), "no readable PNG or JPEG images");
    REQUIRE_ERROR_CONTAINS(data::load_image_folder(dir / "nowhere"), "nowhere", "not a directory");
}
