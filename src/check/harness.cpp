#include "vkcolor/check/harness.hpp"

#include <algorithm>
#include <cmath>
#include <random>

#include "vkcolor/gpu/error.hpp"

namespace vkcolor::check {

double relative_error(std::span<const float> got, std::span<const float> want) {
    if (got.size() != want.size()) return INFINITY;
    double diff = 0, scale = 1e-30;
    for (size_t i = 0; i < got.size(); ++i) {
        if (std::isnan(got[i]) || std::isnan(want[i]) || std::isinf(got[i]) != std::isinf(want[i])) {
            if (std::isnan(got[i]) && std::isnan(want[i])) continue;
            return INFINITY;
        }
        diff = std::max(diff, std::fabs(double(got[i]) - double(want[i])));
        scale = std::max(scale, std::fabs(double(want[i])));
    }
    return diff / scale;
}

double Comparison::ratio() const { return tolerance > 0 ? error / tolerance : (error > 0 ? INFINITY : 0.0); }

void worst_of(Comparison& acc, const Comparison& c) {
    acc.output = c.output;
    acc.tolerance = c.tolerance;
    acc.error = std::max(acc.error, c.error);
}

bool CaseResult::pass() const {
    return std::all_of(outputs.begin(), outputs.end(), [](const Comparison& c) { return c.pass(); });
}

double CaseResult::worst_ratio() const {
    double w = 0;
    for (auto& c : outputs) w = std::max(w, c.ratio());
    return w;
}

double CaseResult::worst_error() const {
    double w = 0;
    for (auto& c : outputs) w = std::max(w, c.error);
    return w;
}

const OpCheck& find_op_check(const std::string& op) {
    std::string names;
    for (const auto& c : all_op_checks()) {
        if (c.op == op) return c;
        names += (names.empty() ? "" : ", ") + c.op;
    }
    throw Error("no op named '" + op + "'; the ops are: " + names);
}

HostTensor random_tensor(Shape shape, uint32_t seed, float lo, float hi) {
    HostTensor t(shape);
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(lo, hi);
    for (auto& v : t.data) v = dist(rng);
    return t;
}

Tensor to_gpu(gpu::Context& ctx, const HostTensor& h) {
    Tensor t(ctx, h.shape);
    t.upload(ctx, h);
    return t;
}

Comparison compare(gpu::Context& ctx, const std::string& output, const Tensor& got, const HostTensor& want,
                   double tolerance) {
    if (!(got.shape() == want.shape))
        return {output + " (shape " + got.shape().str() + " vs " + want.shape.str() + ")", INFINITY, tolerance};
    auto values = got.download(ctx);
    return {output, relative_error(values, want.data), tolerance};
}

std::vector<Shape> standard_shapes() {
    return {{1, 1, 1, 1}, {1, 3, 5, 7}, {2, 5, 13, 11}, {1, 24, 8, 8}, {3, 64, 9, 7}, {4, 3, 32, 32}};
}

} // namespace vkcolor::check
