#pragma once
// Platform-independent randomness. std::mt19937's output sequence is fixed by the standard, but
// std::shuffle and the std::*_distribution classes are implementation-defined, so the same seed
// would give different shuffles (and different datasets) with libstdc++, libc++ and MSVC. Every
// random choice in vkcolor goes through these functions instead.
#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace vkcolor::data {

// Uniform in [0, n), n >= 1, without modulo bias (rejection of the incomplete top range).
uint32_t uniform_index(std::mt19937& rng, uint32_t n);

// Uniform in [0, 1) with 53 random bits (two draws).
double uniform_unit(std::mt19937& rng);

// In-place Fisher-Yates: for i = n-1 down to 1, swap element i with element uniform_index(i + 1).
void fisher_yates(std::span<uint32_t> items, std::mt19937& rng);

// 0..n-1 in the order fisher_yates puts them with std::mt19937(seed).
std::vector<uint32_t> shuffled_order(uint32_t n, uint32_t seed);

// A well-mixed 32-bit seed from a base seed and a stream index (splitmix64), so that item i of a
// generated collection does not depend on how many items are generated.
uint32_t derive_seed(uint64_t seed, uint64_t stream);

} // namespace vkcolor::data
