#include "vkcolor/data/random.hpp"

#include <numeric>
#include <utility>

namespace vkcolor::data {

uint32_t uniform_index(std::mt19937& rng, uint32_t n) {
    // mt19937 yields 2^32 equally likely values; keep the largest multiple of n of them.
    const uint64_t range = uint64_t(1) << 32;
    const uint64_t limit = range - range % n;
    for (;;) {
        uint64_t x = rng();
        if (x < limit) return uint32_t(x % n);
    }
}

double uniform_unit(std::mt19937& rng) {
    uint64_t hi = rng() >> 5;   // 27 bits
    uint64_t lo = rng() >> 6;   // 26 bits
    return double((hi << 26) | lo) * (1.0 / 9007199254740992.0);   // / 2^53
}

void fisher_yates(std::span<uint32_t> items, std::mt19937& rng) {
    for (size_t i = items.size(); i > 1; --i) {
        uint32_t j = uniform_index(rng, uint32_t(i));
        std::swap(items[i - 1], items[j]);
    }
}

std::vector<uint32_t> shuffled_order(uint32_t n, uint32_t seed) {
    std::vector<uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    std::mt19937 rng(seed);
    fisher_yates(order, rng);
    return order;
}

uint32_t derive_seed(uint64_t seed, uint64_t stream) {
    uint64_t z = seed + 0x9E3779B97F4A7C15ull * (stream + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return uint32_t(z ^ (z >> 32));
}

} // namespace vkcolor::data
