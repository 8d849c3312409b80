#include "vkcolor/data/palette.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <sstream>

#include "vkcolor/data/random.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/io/file.hpp"

namespace vkcolor::data {

namespace fs = std::filesystem;

const Palette& default_palette() {
    // Copied from the assignment's published centres (shared/data/colour_kmeans24_cat7.txt).
    static const Palette palette{{
    {0.8693031057237298f, 0.8130523392815923f, 0.7110815460370232f},
    {0.14682194855525899f, 0.12764080429032248f, 0.10789754485091316f},
    {0.74059804346975f, 0.7315649040657463f, 0.7124249519594665f},
    {0.3361456486164018f, 0.19794017165187366f, 0.12443363247702864f},
    {0.35065320653706566f, 0.41031183808608596f, 0.20944570313457908f},
    {0.05045383005240956f, 0.04471698037837147f, 0.04326087738080021f},
    {0.3306915503461377f, 0.34364123342978825f, 0.3449084169210641f},
    {0.4645145600431589f, 0.30515979077926936f, 0.20880017799203457f},
    {0.8466518279573442f, 0.8601578179051467f, 0.8667013634448142f},
    {0.7122974626013622f, 0.5775026755258872f, 0.4370004632120974f},
    {0.20425760677977492f, 0.20861382800758196f, 0.18363892730696857f},
    {0.6484364212422744f, 0.6397309829487458f, 0.6066429026808686f},
    {0.614658060166962f, 0.7517848967190306f, 0.8690810030205373f},
    {0.7819539234803657f, 0.7175097237527223f, 0.5402495102218543f},
    {0.6418777699148753f, 0.41190209470001093f, 0.24971416987518705f},
    {0.29113057254061536f, 0.2785400984397728f, 0.23897394197731217f},
    {0.6076597506504103f, 0.6672863312244787f, 0.3951272728087486f},
    {0.5635522481504253f, 0.5538151379580627f, 0.5202026549634501f},
    {0.47125559189522015f, 0.5386994068885308f, 0.2870437165531501f},
    {0.9597443396205957f, 0.9640670809985601f, 0.9596223942521208f},
    {0.367468752073748f, 0.548555340730623f, 0.7103358538588302f},
    {0.5644697107319916f, 0.4939581381670135f, 0.39086151998098384f},
    {0.44548041747289957f, 0.4026579771511498f, 0.33703847910181467f},
    {0.4479287459620641f, 0.4637739072983103f, 0.4560344492876667f},
    }};
    return palette;
}

Palette load_palette(const fs::path& path) {
    std::vector<uint8_t> bytes = io::read_file(path, 1 << 20);   // a palette is a few hundred bytes
    std::istringstream in(std::string(bytes.begin(), bytes.end()));
    Palette p;
    std::string line;
    for (size_t number = 1; std::getline(in, line); ++number) {
        auto where = [&] { return path.string() + ":" + std::to_string(number) + ": "; };
        size_t first = line.find_first_not_of(" \t\r");
        if (first == std::string::npos || line[first] == '#') continue;
        std::istringstream fields(line);
        Rgb c{};
        for (float& v : c) {
            std::string token;
            if (!(fields >> token)) throw Error(where() + "expected 3 numbers R G B, got fewer");
            char* end = nullptr;
            double d = std::strtod(token.c_str(), &end);
            if (end != token.c_str() + token.size()) throw Error(where() + "'" + token + "' is not a number");
            if (!(d >= 0.0 && d <= 1.0)) throw Error(where() + "colour value " + token + " is outside [0, 1]");
            v = float(d);
        }
        std::string extra;
        if (fields >> extra) throw Error(where() + "expected 3 numbers R G B, got more");
        p.colours.push_back(c);
    }
    if (p.colours.empty()) throw Error(path.string() + ": the palette file holds no colours");
    return p;
}

void save_palette(const fs::path& path, const Palette& palette, const std::string& comment) {
    std::string text;
    std::istringstream lines(comment);
    for (std::string line; std::getline(lines, line);) text += "# " + line + "\n";
    for (const Rgb& c : palette.colours) {
        char buf[128];
        std::snprintf(buf, sizeof buf, "%.17g %.17g %.17g\n", double(c[0]), double(c[1]), double(c[2]));
        text += buf;
    }
    io::write_file_atomically(path, std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

namespace {

float distance2(const Rgb& c, float r, float g, float b) {
    float dr = c[0] - r, dg = c[1] - g, db = c[2] - b;
    return dr * dr + dg * dg + db * db;
}

// Index of the nearest centre, ties to the lowest index, and its squared distance.
std::pair<uint32_t, float> nearest(const std::vector<Rgb>& centres, float r, float g, float b) {
    uint32_t best = 0;
    float best_d = std::numeric_limits<float>::infinity();
    for (uint32_t i = 0; i < centres.size(); ++i) {
        float d = distance2(centres[i], r, g, b);
        if (d < best_d) best = i, best_d = d;
    }
    return {best, best_d};
}

// k-means++: the first centre uniformly, each next one with probability proportional to the
// squared distance to the nearest centre chosen so far.
std::vector<Rgb> kmeans_plus_plus(const std::vector<Rgb>& pixels, uint32_t k, std::mt19937& rng) {
    std::vector<Rgb> centres;
    centres.push_back(pixels[uniform_index(rng, uint32_t(pixels.size()))]);
    std::vector<float> d2(pixels.size());
    for (size_t i = 0; i < pixels.size(); ++i) d2[i] = distance2(centres[0], pixels[i][0], pixels[i][1], pixels[i][2]);
    while (centres.size() < k) {
        double total = 0;
        for (float d : d2) total += d;
        size_t chosen = 0;
        if (total > 0) {
            double target = uniform_unit(rng) * total, running = 0;
            chosen = pixels.size() - 1;
            for (size_t i = 0; i < pixels.size(); ++i) {
                running += d2[i];
                if (running > target && d2[i] > 0) {
                    chosen = i;
                    break;
                }
            }
        } else {
            chosen = uniform_index(rng, uint32_t(pixels.size()));   // fewer distinct colours than K
        }
        centres.push_back(pixels[chosen]);
        for (size_t i = 0; i < pixels.size(); ++i)
            d2[i] = std::min(d2[i], distance2(centres.back(), pixels[i][0], pixels[i][1], pixels[i][2]));
    }
    return centres;
}

} // namespace

uint32_t nearest_colour(const Palette& palette, float r, float g, float b) {
    return nearest(palette.colours, r, g, b).first;
}

Palette compute_palette(const HostTensor& images, uint32_t k, uint32_t seed, const KMeansOptions& options) {
    if (images.shape.c != 3) throw Error("internal: compute_palette needs RGB images, got " + images.shape.str());
    const size_t plane = size_t(images.shape.h) * images.shape.w;
    const size_t count = size_t(images.shape.n) * plane;
    if (k == 0) throw Error("a palette needs at least one colour");
    if (count < k)
        throw Error("cannot compute " + std::to_string(k) + " colours from only " + std::to_string(count) + " pixels");
    if (count > std::numeric_limits<uint32_t>::max())
        throw Error("too many pixels for k-means (" + std::to_string(count) + "); use fewer images");

    std::vector<Rgb> pixels(count);
    for (size_t n = 0; n < images.shape.n; ++n)
        for (size_t i = 0; i < plane; ++i)
            for (size_t c = 0; c < 3; ++c) pixels[n * plane + i][c] = images.data[(n * 3 + c) * plane + i];

    std::mt19937 rng(seed);
    std::vector<Rgb> centres = kmeans_plus_plus(pixels, k, rng);
    std::vector<uint32_t> cls(count, k);   // k = not yet assigned
    for (uint32_t it = 0; it < options.max_iterations; ++it) {
        bool changed = false;
        std::vector<std::array<double, 3>> sum(k, {0, 0, 0});
        std::vector<size_t> members(k, 0);
        for (size_t i = 0; i < count; ++i) {
            uint32_t c = nearest(centres, pixels[i][0], pixels[i][1], pixels[i][2]).first;
            changed |= c != cls[i];
            cls[i] = c;
            members[c]++;
            for (int ch = 0; ch < 3; ++ch) sum[c][ch] += pixels[i][ch];
        }
        if (!changed) break;
        for (uint32_t c = 0; c < k; ++c)
            if (members[c])
                for (int ch = 0; ch < 3; ++ch) centres[c][ch] = float(sum[c][ch] / double(members[c]));
    }
    return Palette{centres};
}

} // namespace vkcolor::data
