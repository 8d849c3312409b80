#pragma once
// Small helpers shared by the tests: seeded random data and the relative error metric.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace vkcolor::test {

inline std::vector<float> random_values(size_t n, uint32_t seed, float lo = -1.0f, float hi = 1.0f) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(lo, hi);
    std::vector<float> v(n);
    for (auto& x : v) x = dist(rng);
    return v;
}

// max |a - b| / max(max |b|, tiny): the error measure every GPU-vs-CPU comparison reports.
inline double relative_error(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size()) return INFINITY;
    double diff = 0, scale = 1e-30;
    for (size_t i = 0; i < a.size(); ++i) {
        if (std::isnan(a[i]) != std::isnan(b[i])) return INFINITY;
        diff = std::max(diff, std::fabs(double(a[i]) - double(b[i])));
        scale = std::max(scale, std::fabs(double(b[i])));
    }
    return diff / scale;
}

} // namespace vkcolor::test
