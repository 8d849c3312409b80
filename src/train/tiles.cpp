// Tiled inference; see tiles.hpp.
#include "vkcolor/train/tiles.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "vkcolor/gpu/error.hpp"

namespace vkcolor::train {

std::optional<uint32_t> receptive_radius(const model::Graph& g) {
    using model::OpKind;
    // Per node: the radius so far and the scale (input pixels per pixel of its output).
    struct Reach {
        double radius = 0, scale = 1;
    };
    std::map<std::string, Reach> reach{{"input", {}}};
    for (const auto& n : g.nodes) {
        Reach r;
        for (const auto& in : n.inputs) {
            const Reach& i = reach.at(in);
            r.radius = std::max(r.radius, i.radius);
            r.scale = std::max(r.scale, i.scale);
        }
        switch (n.op) {
        case OpKind::Conv2d:
            r.radius += double(n.dilation) * (n.kernel / 2) * r.scale;
            r.scale *= n.stride;
            break;
        case OpKind::ConvTranspose2d:
            r.scale /= n.stride;
            r.radius += double(n.dilation) * (n.kernel / 2) * r.scale + r.scale;
            break;
        case OpKind::MaxPool2d:
        case OpKind::AvgPool2d:
            r.radius += r.scale;   // the window's second pixel
            r.scale *= 2;
            break;
        case OpKind::UpsampleNearest2d:
        case OpKind::UpsampleBilinear2d:
        case OpKind::MaxUnpool2d:
            r.radius += r.scale;   // the neighbour an interpolation (or a rounding) reaches
            r.scale /= 2;
            break;
        case OpKind::Linear:
        case OpKind::Flatten:
        case OpKind::Reshape:
            return std::nullopt;
        default:
            break;   // per pixel: batch norm at inference, activations, dropout (off), concat, add, mul
        }
        reach[n.name] = r;
    }
    return static_cast<uint32_t>(std::ceil(reach.at(g.nodes.back().name).radius));
}

std::optional<TilePlan> plan_tiles(const model::Graph& graph, uint32_t height, uint32_t width, uint32_t multiple,
                                   uint64_t max_pixels) {
    if (uint64_t(height) * width <= max_pixels) return std::nullopt;
    const auto radius = receptive_radius(graph);
    if (!radius) return std::nullopt;
    TilePlan p;
    p.halo = (*radius + multiple - 1) / multiple * multiple;
    p.side = uint32_t(std::sqrt(double(max_pixels))) / multiple * multiple;
    if (p.side < 2 * p.halo + multiple)
        throw Error("the device holds tiles of at most " + std::to_string(max_pixels) + " pixels, too few for this model's " +
                    std::to_string(p.halo) + "-pixel border around each tile");
    return p;
}

namespace {

size_t index(const Shape& s, uint32_t c, uint32_t y, uint32_t x) { return (size_t(c) * s.h + y) * s.w + x; }

// Where the tiles of one axis of `size` start, and which part of each is kept: the kept parts
// cover [0, size) once; each tile lies inside [0, size) (shifted inward at the ends).
struct Span {
    uint32_t start, keep_begin, keep_end;   // keep: in image coordinates
};

std::vector<Span> spans(uint32_t size, const TilePlan& p) {
    if (size <= p.side) return {{0, 0, size}};
    const uint32_t core = p.side - 2 * p.halo;
    std::vector<Span> out;
    for (uint32_t begin = 0; begin < size; begin += core) {
        const uint32_t end = std::min(begin + core, size);
        const uint32_t start = std::min(begin >= p.halo ? begin - p.halo : 0, size - p.side);
        out.push_back({start, begin, end});
    }
    return out;
}

} // namespace

HostTensor predict_in_tiles(const std::function<HostTensor(const HostTensor&)>& predict, const HostTensor& input,
                            const TilePlan& plan) {
    const Shape& s = input.shape;
    if (s.n != 1) throw Error("internal: tiles of a batch");
    HostTensor out;
    for (const Span& ys : spans(s.h, plan)) {
        for (const Span& xs : spans(s.w, plan)) {
            const uint32_t th = std::min(plan.side, s.h), tw = std::min(plan.side, s.w);
            HostTensor tile(Shape{1, s.c, th, tw});
            for (uint32_t c = 0; c < s.c; ++c)
                for (uint32_t y = 0; y < th; ++y)
                    std::copy_n(input.data.begin() + index(s, c, ys.start + y, xs.start), tw,
                                tile.data.begin() + index(tile.shape, c, y, 0));
            HostTensor pred = predict(tile);
            if (pred.shape.n != 1 || pred.shape.h != th || pred.shape.w != tw)
                throw Error("internal: a tile's prediction is " + pred.shape.str() + " for a " + tile.shape.str() + " tile");
            if (out.data.empty()) out = HostTensor(Shape{1, pred.shape.c, s.h, s.w});
            for (uint32_t c = 0; c < pred.shape.c; ++c)
                for (uint32_t y = ys.keep_begin; y < ys.keep_end; ++y)
                    std::copy_n(pred.data.begin() + index(pred.shape, c, y - ys.start, xs.keep_begin - xs.start),
                                xs.keep_end - xs.keep_begin, out.data.begin() + index(out.shape, c, y, xs.keep_begin));
        }
    }
    return out;
}

} // namespace vkcolor::train
