// Palettes: the embedded default, the text format, nearest colours and k-means.
#include <catch2/catch.hpp>

#include <set>

#include "data_helpers.hpp"
#include "vkcolor/data/palette.hpp"
#include "vkcolor/io/file.hpp"

using namespace vkcolor;
using namespace vkcolor::data;
using vkcolor::test::ScratchDir;
using vkcolor::test::write_text;

TEST_CASE("the embedded default palette is the assignment's 24 colours", "[palette]") {
    const Palette& p = default_palette();
    REQUIRE(p.size() == 24);
    CHECK(p.colours[0] == Rgb{0.8693031057237298f, 0.8130523392815923f, 0.7110815460370232f});
    CHECK(p.colours[7] == Rgb{0.4645145600431589f, 0.30515979077926936f, 0.20880017799203457f});
    CHECK(p.colours[23] == Rgb{0.4479287459620641f, 0.4637739072983103f, 0.4560344492876667f});
    // The published file, where the checkout has it beside the repository, matches exactly.
    std::filesystem::path published = std::filesystem::path(VKCOLOR_SOURCE_DIR) / "../shared/data/colour_kmeans24_cat7.txt";
    if (std::filesystem::exists(published)) CHECK(load_palette(published) == p);
}

TEST_CASE("palette text files: comments, blank lines, round trip", "[palette]") {
    ScratchDir dir;
    write_text(dir / "p.txt", "# a comment\n\n  # indented comment\n0 0.5 1\n0.25\t0.125 0.75\r\n");
    Palette p = load_palette(dir / "p.txt");
    REQUIRE(p.size() == 2);
    CHECK(p.colours[0] == Rgb{0, 0.5f, 1});
    CHECK(p.colours[1] == Rgb{0.25f, 0.125f, 0.75f});

    save_palette(dir / "default.txt", default_palette(), "24 colours\nsecond line");
    CHECK(load_palette(dir / "default.txt") == default_palette());
    CHECK(test::read_bytes(dir / "default.txt")[0] == '#');
    CHECK(dir.names() == std::vector<std::string>{"default.txt", "p.txt"});   // no temporaries left
}

TEST_CASE("palette text files: bad lines and values are reported with file and line", "[palette]") {
    ScratchDir dir;
    auto f = dir / "bad.txt";
    write_text(f, "# header\n0.1 0.2\n");
    REQUIRE_ERROR_CONTAINS(load_palette(f), "bad.txt:2:", "fewer");
    write_text(f, "0.1 0.2 0.3 0.4\n");
    REQUIRE_ERROR_CONTAINS(load_palette(f), "bad.txt:1:", "more");
    write_text(f, "0.1 0.2 0.3\n0.1 abc 0.3\n");
    REQUIRE_ERROR_CONTAINS(load_palette(f), "bad.txt:2:", "'abc' is not a number");
    write_text(f, "0.1 0.2x 0.3\n");
    REQUIRE_ERROR_CONTAINS(load_palette(f), "bad.txt:1:", "'0.2x'");
    write_text(f, "0.1 1.5 0.3\n");
    REQUIRE_ERROR_CONTAINS(load_palette(f), "bad.txt:1:", "outside [0, 1]");
    write_text(f, "0.1 -0.01 0.3\n");
    REQUIRE_ERROR_CONTAINS(load_palette(f), "outside [0, 1]");
    write_text(f, "nan 0 0\n");
    REQUIRE_ERROR_CONTAINS(load_palette(f), "outside [0, 1]");
    write_text(f, "# only comments\n\n");
    REQUIRE_ERROR_CONTAINS(load_palette(f), "bad.txt", "no colours");
    REQUIRE_ERROR_CONTAINS(load_palette(dir / "missing.txt"), "missing.txt", "cannot open");
}

TEST_CASE("nearest colour: Euclidean RGB distance, ties to the lowest index", "[palette]") {
    Palette p{{{0, 0, 0}, {1, 1, 1}, {1, 0, 0}, {0, 0, 0}}};
    CHECK(nearest_colour(p, 0.1f, 0.1f, 0.1f) == 0);
    CHECK(nearest_colour(p, 0.9f, 0.8f, 0.9f) == 1);
    CHECK(nearest_colour(p, 0.8f, 0.1f, 0.2f) == 2);
    // (0.5, 0, 0) is exactly as far from black (0 and 3) as from red (2): the lowest index wins.
    CHECK(nearest_colour(p, 0.5f, 0, 0) == 0);
    Palette reversed{{{1, 0, 0}, {0, 0, 0}}};
    CHECK(nearest_colour(reversed, 0.5f, 0, 0) == 0);
    // Euclidean, not per-channel: (0.6, 0.6, 0) is nearer white-ish yellow than to red.
    Palette q{{{1, 0, 0}, {0.6f, 0.6f, 0.6f}}};
    CHECK(nearest_colour(q, 0.6f, 0.6f, 0.0f) == 1);
}

namespace {

// Pixels drawn around `centres`, one image per centre, each pixel jittered deterministically.
HostTensor clustered_pixels(const std::vector<Rgb>& centres) {
    HostTensor t(Shape{uint32_t(centres.size()), 3, 4, 4});
    for (uint32_t n = 0; n < centres.size(); ++n)
        for (uint32_t c = 0; c < 3; ++c)
            for (uint32_t i = 0; i < 16; ++i) t.at(n, c, i / 4, i % 4) = centres[n][c] + 0.01f * float(int(i % 5) - 2);
    return t;
}

} // namespace

TEST_CASE("k-means recovers well-separated clusters, deterministically", "[palette]") {
    std::vector<Rgb> truth{{0.1f, 0.1f, 0.1f}, {0.9f, 0.2f, 0.2f}, {0.2f, 0.8f, 0.3f}, {0.3f, 0.3f, 0.9f}};
    HostTensor pixels = clustered_pixels(truth);
    Palette p = compute_palette(pixels, 4, 0);
    REQUIRE(p.size() == 4);
    std::set<int> found;
    for (const Rgb& c : p.colours)
        for (size_t i = 0; i < truth.size(); ++i)
            if (std::abs(c[0] - truth[i][0]) < 0.02f && std::abs(c[1] - truth[i][1]) < 0.02f &&
                std::abs(c[2] - truth[i][2]) < 0.02f)
                found.insert(int(i));
    CHECK(found.size() == 4);
    CHECK(compute_palette(pixels, 4, 0) == p);   // same seed, same palette, bit for bit
}

TEST_CASE("k-means: the seed matters, the result is stable, bad K is an error", "[palette]") {
    // Noise-like pixels have no natural clusters, so different seeds find different centres.
    HostTensor t(Shape{2, 3, 16, 16});
    for (size_t i = 0; i < t.data.size(); ++i) t.data[i] = float((i * 2654435761u) % 1000) / 1000.0f;
    Palette a = compute_palette(t, 8, 1), b = compute_palette(t, 8, 1), c = compute_palette(t, 8, 2);
    CHECK(a == b);
    CHECK(a != c);
    // Converged: every centre is the mean of the pixels nearest to it.
    std::vector<std::array<double, 3>> sum(8, {0, 0, 0});
    std::vector<int> n(8, 0);
    const size_t plane = 256;
    for (size_t img = 0; img < 2; ++img)
        for (size_t i = 0; i < plane; ++i) {
            float r = t.data[(img * 3) * plane + i], g = t.data[(img * 3 + 1) * plane + i], bl = t.data[(img * 3 + 2) * plane + i];
            uint32_t k = nearest_colour(a, r, g, bl);
            sum[k][0] += r, sum[k][1] += g, sum[k][2] += bl, n[k]++;
        }
    for (int k = 0; k < 8; ++k) {
        REQUIRE(n[k] > 0);
        for (int ch = 0; ch < 3; ++ch) CHECK(a.colours[k][ch] == Approx(sum[k][ch] / n[k]).margin(1e-6));
    }

    REQUIRE_ERROR_CONTAINS(compute_palette(t, 0, 0), "at least one colour");
    REQUIRE_ERROR_CONTAINS(compute_palette(t, 513, 0), "513 colours", "512 pixels");
    // Fewer distinct colours than K still works: duplicates, no crash.
    HostTensor flat(Shape{1, 3, 2, 2}, 0.5f);
    Palette d = compute_palette(flat, 3, 0);
    CHECK(d.size() == 3);
    CHECK(d.colours[0] == Rgb{0.5f, 0.5f, 0.5f});
}
