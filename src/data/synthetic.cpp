#include "vkcolor/data/synthetic.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <vector>

#include "vkcolor/data/random.hpp"

namespace vkcolor::data {

namespace {

using Colour = std::array<float, 3>;

// Scenes are drawn at twice the output size and box-filtered down, which anti-aliases edges.
constexpr int supersample = 2;
constexpr int canvas_side = int(synthetic_side) * supersample;

struct Rng {
    std::mt19937 engine;
    float uniform(float lo, float hi) { return lo + float(uniform_unit(engine)) * (hi - lo); }
    bool chance(float p) { return uniform_unit(engine) < p; }
    uint32_t index(uint32_t n) { return uniform_index(engine, n); }
    Colour jitter(const Colour& c, float amount) {
        Colour out;
        for (int i = 0; i < 3; ++i) out[i] = std::clamp(c[i] + uniform(-amount, amount), 0.0f, 1.0f);
        return out;
    }
};

Colour mix(const Colour& a, const Colour& b, float t) {
    return {a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t};
}

Colour scaled(const Colour& c, float k) { return {c[0] * k, c[1] * k, c[2] * k}; }

// Smooth value noise in [0, 1): a hashed lattice, bilinearly interpolated with a smoothstep.
float lattice(int x, int y, uint32_t salt) {
    uint32_t h = uint32_t(x) * 0x8DA6B343u ^ uint32_t(y) * 0xD8163841u ^ salt * 0xCB1AB31Fu;
    h ^= h >> 15;
    h *= 0x2C1B3C6Du;
    h ^= h >> 12;
    return float(h & 0xFFFFFF) / float(1 << 24);
}

float value_noise(float x, float y, uint32_t salt) {
    int xi = int(std::floor(x)), yi = int(std::floor(y));
    float fx = x - xi, fy = y - yi;
    fx = fx * fx * (3 - 2 * fx);
    fy = fy * fy * (3 - 2 * fy);
    float top = lattice(xi, yi, salt) + (lattice(xi + 1, yi, salt) - lattice(xi, yi, salt)) * fx;
    float bottom = lattice(xi, yi + 1, salt) + (lattice(xi + 1, yi + 1, salt) - lattice(xi, yi + 1, salt)) * fx;
    return top + (bottom - top) * fy;
}

// The canvas works in scene coordinates: u across, v down, both in [0, 1).
struct Canvas {
    std::array<Colour, canvas_side * canvas_side> pixels{};

    // colour_at(u, v, colour) sets colour and returns its opacity there (0 leaves the pixel alone).
    template <class ColourAt>
    void paint(ColourAt&& colour_at) {
        for (int y = 0; y < canvas_side; ++y)
            for (int x = 0; x < canvas_side; ++x) {
                float u = (x + 0.5f) / canvas_side, v = (y + 0.5f) / canvas_side;
                Colour c;
                float alpha = colour_at(u, v, c);
                if (alpha > 0) {
                    Colour& p = pixels[y * canvas_side + x];
                    p = mix(p, c, std::min(alpha, 1.0f));
                }
            }
    }
};

enum class Sky { day, sunset, overcast };

struct Scene {
    Sky sky = Sky::day;
    float horizon = 0.5f;           // v of the horizon
    Colour sky_top{}, sky_bottom{};
    float water_end = 0;            // water between the horizon and this v (no water if <= horizon)
    uint32_t salt = 0;              // for the noise textures
};

void draw_sky(Canvas& canvas, Rng& rng, Scene& s) {
    float pick = rng.uniform(0, 1);
    s.sky = pick < 0.65f ? Sky::day : pick < 0.85f ? Sky::sunset : Sky::overcast;
    switch (s.sky) {
    case Sky::day: s.sky_top = rng.jitter({0.16f, 0.36f, 0.78f}, 0.06f), s.sky_bottom = rng.jitter({0.62f, 0.80f, 0.96f}, 0.04f); break;
    case Sky::sunset: s.sky_top = rng.jitter({0.22f, 0.18f, 0.45f}, 0.05f), s.sky_bottom = rng.jitter({0.98f, 0.58f, 0.28f}, 0.05f); break;
    case Sky::overcast: s.sky_top = rng.jitter({0.55f, 0.58f, 0.62f}, 0.05f), s.sky_bottom = rng.jitter({0.78f, 0.79f, 0.80f}, 0.04f); break;
    }
    canvas.paint([&](float, float v, Colour& c) {
        c = mix(s.sky_top, s.sky_bottom, std::min(v / s.horizon, 1.0f));
        return 1.0f;
    });
}

void draw_sun(Canvas& canvas, Rng& rng, const Scene& s) {
    if (s.sky == Sky::overcast || !rng.chance(0.6f)) return;
    const float cu = rng.uniform(0.1f, 0.9f), cv = rng.uniform(0.08f, s.horizon - 0.1f), r = rng.uniform(0.05f, 0.085f);
    const Colour core = s.sky == Sky::day ? Colour{1.0f, 0.98f, 0.80f} : Colour{1.0f, 0.85f, 0.45f};
    canvas.paint([&](float u, float v, Colour& c) {
        if (v > s.horizon) return 0.0f;
        float d = std::hypot(u - cu, v - cv) / r;
        c = core;
        if (d <= 1) return 1.0f;
        return d < 3 ? 0.45f * (3 - d) / 2 * (3 - d) / 2 : 0.0f;   // glow
    });
}

void draw_clouds(Canvas& canvas, Rng& rng, const Scene& s) {
    const int count = s.sky == Sky::overcast ? 3 + int(rng.index(3)) : int(rng.index(4));
    for (int k = 0; k < count; ++k) {
        const float cu = rng.uniform(0.0f, 1.0f), cv = rng.uniform(0.06f, s.horizon * 0.7f);
        const float width = rng.uniform(0.12f, 0.25f), height = width * rng.uniform(0.3f, 0.45f);
        const float brightness = s.sky == Sky::overcast ? rng.uniform(0.62f, 0.78f) : rng.uniform(0.88f, 0.98f);
        const Colour tint = s.sky == Sky::sunset ? Colour{1.0f, 0.82f, 0.75f} : Colour{1.0f, 1.0f, 1.0f};
        struct Puff { float u, v, r; };
        std::vector<Puff> puffs;
        const int n = 3 + int(rng.index(3));
        for (int i = 0; i < n; ++i)
            puffs.push_back({cu + width * (float(i) / (n - 1) - 0.5f), cv + rng.uniform(-0.3f, 0.1f) * height,
                             height * rng.uniform(0.6f, 1.0f)});
        canvas.paint([&](float u, float v, Colour& c) {
            if (v > cv + height * 0.6f) return 0.0f;   // flat cloud bottoms
            for (const Puff& p : puffs)
                if (std::hypot((u - p.u) * 0.8f, v - p.v) < p.r) {
                    float shade = 1.0f - 0.25f * std::clamp((v - (cv - height)) / (1.6f * height), 0.0f, 1.0f);
                    c = scaled(tint, brightness * shade);
                    return 1.0f;
                }
            return 0.0f;
        });
    }
}

void draw_hills(Canvas& canvas, Rng& rng, const Scene& s) {
    if (!rng.chance(0.5f)) return;
    const float amplitude = rng.uniform(0.04f, 0.12f), freq = rng.uniform(6.0f, 14.0f), phase = rng.uniform(0, 6.3f);
    const Colour colour = mix(rng.jitter({0.28f, 0.42f, 0.36f}, 0.04f), s.sky_bottom, 0.3f);   // hazy with distance
    canvas.paint([&](float u, float v, Colour& c) {
        float top = s.horizon - amplitude * (0.6f + 0.4f * std::sin(freq * u + phase)) ;
        c = colour;
        return v >= top && v <= s.horizon + 0.01f ? 1.0f : 0.0f;
    });
}

void draw_ground(Canvas& canvas, Rng& rng, Scene& s) {
    float pick = rng.uniform(0, 1);
    s.water_end = pick < 0.5f ? 0 : pick < 0.7f ? 1.0f : rng.uniform(s.horizon + 0.08f, s.horizon + 0.25f);
    const Colour grass = rng.jitter({0.30f, 0.55f, 0.18f}, 0.06f);
    const Colour dry = rng.jitter({0.55f, 0.58f, 0.22f}, 0.05f);   // yellowish patches
    const Colour deep = s.sky == Sky::overcast ? rng.jitter({0.28f, 0.36f, 0.42f}, 0.03f) : rng.jitter({0.10f, 0.30f, 0.58f}, 0.05f);
    const Colour shallow = mix(deep, s.sky_bottom, 0.45f);
    const float ripple_freq = rng.uniform(70.0f, 110.0f);
    canvas.paint([&](float u, float v, Colour& c) {
        if (v < s.horizon) return 0.0f;
        const float depth = (v - s.horizon) / (1 - s.horizon);   // 0 at the horizon, 1 at the bottom
        if (v < s.water_end) {
            float wobble = 0.6f * value_noise(u * 6, v * 20, s.salt + 1);
            float ripple = std::sin(v * ripple_freq * (1.2f - 0.5f * depth) + wobble * 6.0f);
            c = mix(shallow, deep, std::min(depth * 1.5f, 1.0f));
            c = scaled(c, 1.0f + 0.12f * ripple);
            if (ripple > 0.93f && value_noise(u * 12, v * 30, s.salt + 2) > 0.55f) c = mix(c, {0.95f, 0.97f, 1.0f}, 0.7f);
            return 1.0f;
        }
        float patches = value_noise(u * 5, v * 5, s.salt + 3);
        float blades = value_noise(u * 48, v * 10, s.salt + 4);   // stretched vertically: grass blades
        c = mix(grass, dry, std::clamp((patches - 0.55f) * 2.5f, 0.0f, 1.0f));
        c = scaled(c, 0.78f + 0.38f * blades + 0.1f * depth);
        return 1.0f;
    });
}

void draw_tree(Canvas& canvas, Rng& rng, float base_u, float base_v, float scale, uint32_t salt) {
    const float trunk_w = 0.035f * scale, trunk_h = rng.uniform(0.08f, 0.13f) * scale;
    const Colour bark = rng.jitter({0.38f, 0.24f, 0.12f}, 0.05f);
    const bool conifer = rng.chance(0.4f);
    const Colour leaves = conifer ? rng.jitter({0.08f, 0.30f, 0.14f}, 0.04f) : rng.jitter({0.16f, 0.45f, 0.12f}, 0.06f);
    const float crown_r = rng.uniform(0.07f, 0.10f) * scale, crown_h = rng.uniform(0.22f, 0.32f) * scale;
    const float top = base_v - trunk_h;
    canvas.paint([&](float u, float v, Colour& c) {
        bool in_crown = conifer ? (v >= top - crown_h && v <= top + 0.02f * scale &&
                                   std::fabs(u - base_u) <= crown_r * 1.1f * (v - (top - crown_h)) / crown_h)
                                : std::hypot(u - base_u, (v - (top - crown_r * 0.8f)) * 0.9f) < crown_r;
        if (in_crown) {
            float light = 0.75f + 0.5f * value_noise(u * 60, v * 60, salt);   // leafy texture
            float side = 1.0f - 0.25f * (u - base_u) / (crown_r * 1.1f);       // lit from the left
            c = scaled(leaves, light * side);
            return 1.0f;
        }
        if (std::fabs(u - base_u) <= trunk_w / 2 && v >= top && v <= base_v) {
            c = bark;
            return 1.0f;
        }
        return 0.0f;
    });
}

void draw_house(Canvas& canvas, Rng& rng, float base_u, float base_v, float scale) {
    static const Colour walls[] = {{0.90f, 0.88f, 0.82f}, {0.85f, 0.74f, 0.55f}, {0.66f, 0.30f, 0.22f},
                                   {0.90f, 0.80f, 0.42f}, {0.62f, 0.72f, 0.82f}};
    static const Colour roofs[] = {{0.66f, 0.20f, 0.15f}, {0.30f, 0.30f, 0.34f}, {0.45f, 0.30f, 0.20f}};
    const Colour wall = rng.jitter(walls[rng.index(5)], 0.03f), roof = rng.jitter(roofs[rng.index(3)], 0.03f);
    const float w = rng.uniform(0.16f, 0.26f) * scale, h = rng.uniform(0.10f, 0.15f) * scale;
    const float roof_h = rng.uniform(0.07f, 0.11f) * scale, overhang = 0.02f * scale;
    const float left = base_u - w / 2, top = base_v - h;
    const bool two_windows = w > 0.18f * scale;
    const float win = 0.045f * scale, win_v = top + 0.3f * h;
    const float door_u = two_windows ? base_u : left + 0.7f * w, door_w = 0.04f * scale, door_h = 0.55f * h;
    canvas.paint([&](float u, float v, Colour& c) {
        // roof: a triangle over the wall with a small overhang
        float half = (w / 2 + overhang) * (v - (top - roof_h)) / roof_h;
        if (v >= top - roof_h && v < top && std::fabs(u - base_u) <= half) {
            c = scaled(roof, 0.9f + 0.1f * std::sin(v * 400.0f));   // tile rows
            return 1.0f;
        }
        if (u < left || u > left + w || v < top || v > base_v) return 0.0f;
        c = wall;
        auto in_window = [&](float wu) { return std::fabs(u - wu) < win / 2 && std::fabs(v - win_v) < win / 2; };
        if (two_windows ? in_window(left + 0.25f * w) || in_window(left + 0.75f * w) : in_window(left + 0.3f * w))
            c = Colour{0.72f, 0.86f, 0.96f};
        else if (std::fabs(u - door_u) < door_w / 2 && v > base_v - door_h)
            c = Colour{0.40f, 0.24f, 0.14f};
        return 1.0f;
    });
}

// Trees and houses stand on grass; nearer (lower) ones are drawn later and bigger.
void draw_objects(Canvas& canvas, Rng& rng, const Scene& s) {
    struct Object { float u, v; bool house; };
    std::vector<Object> objects;
    const float ground_top = std::max(s.horizon, s.water_end) + 0.04f;
    if (ground_top > 0.97f) return;
    const int trees = int(rng.index(5)), houses = rng.chance(0.45f) ? 1 + int(rng.index(2)) : 0;
    for (int i = 0; i < trees + houses; ++i)
        objects.push_back({rng.uniform(0.05f, 0.95f), rng.uniform(ground_top, 0.97f), i >= trees});
    std::sort(objects.begin(), objects.end(), [](const Object& a, const Object& b) { return a.v < b.v; });
    for (const Object& o : objects) {
        float scale = 0.7f + 0.9f * (o.v - s.horizon) / (1 - s.horizon);
        if (o.house) draw_house(canvas, rng, o.u, o.v, scale);
        else draw_tree(canvas, rng, o.u, o.v, scale, s.salt + 10 + uint32_t(o.u * 1000));
    }
}

void render_scene(uint32_t image_seed, float* out) {
    Rng rng{std::mt19937(image_seed)};
    Scene s;
    s.horizon = rng.uniform(0.38f, 0.62f);
    s.salt = image_seed;
    Canvas canvas;
    draw_sky(canvas, rng, s);
    draw_sun(canvas, rng, s);
    draw_clouds(canvas, rng, s);
    draw_hills(canvas, rng, s);
    draw_ground(canvas, rng, s);
    draw_objects(canvas, rng, s);

    constexpr int side = int(synthetic_side), plane = side * side;
    for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x) {
            Colour sum{};
            for (int dy = 0; dy < supersample; ++dy)
                for (int dx = 0; dx < supersample; ++dx) {
                    const Colour& p = canvas.pixels[(y * supersample + dy) * canvas_side + x * supersample + dx];
                    for (int c = 0; c < 3; ++c) sum[c] += p[c];
                }
            for (int c = 0; c < 3; ++c) {
                // Onto the pixel/256 grid of 8-bit images.
                float v = sum[c] / (supersample * supersample);
                out[c * plane + y * side + x] = std::clamp(std::floor(v * 256.0f), 0.0f, 255.0f) / 256.0f;
            }
        }
}

} // namespace

HostTensor synthetic_scenes(uint32_t count, uint64_t seed, uint64_t first_index) {
    HostTensor images(Shape{count, 3, synthetic_side, synthetic_side});
    const size_t per_image = 3 * synthetic_side * synthetic_side;
    for (uint32_t i = 0; i < count; ++i) render_scene(derive_seed(seed, first_index + i), images.data.data() + i * per_image);
    return images;
}

} // namespace vkcolor::data
