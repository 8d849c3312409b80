#pragma once
// The official CIFAR-10 binary format (cifar-10-batches-bin/): each record is 1 label byte (0..9)
// followed by 1024 red, 1024 green and 1024 blue bytes, each plane row-major 32x32. A file holds
// any whole number of records (the official ones hold 10000).
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vkcolor/tensor.hpp"

namespace vkcolor::data {

inline constexpr uint32_t cifar10_side = 32;
inline constexpr size_t cifar10_image_bytes = 3 * cifar10_side * cifar10_side;   // 3072
inline constexpr size_t cifar10_record_bytes = 1 + cifar10_image_bytes;          // 3073

// "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck".
const std::array<std::string_view, 10>& cifar10_class_names();

// Images of one or all classes, as stored: labels[i] belongs to pixels[i*3072 .. (i+1)*3072).
struct Cifar10Records {
    std::vector<uint8_t> labels;
    std::vector<uint8_t> pixels;   // planar R, G, B per record
    size_t size() const { return labels.size(); }
};

// A category: a class index 0..9 or std::nullopt for all classes.
using Cifar10Category = std::optional<uint8_t>;

// "horse", "HORSE" or "7" -> 7; "all" -> nullopt. Throws vkcolor::Error listing the valid names.
Cifar10Category parse_cifar10_category(std::string_view text);

// Every record of one file. Throws if the file is missing or unreadable, its size is not a whole
// number of records, or a label is above 9.
Cifar10Records read_cifar10_file(const std::filesystem::path& path);

enum class Cifar10Split { train, test };

// Records of `category` from a directory laid out like cifar-10-batches-bin/ (train: those of
// data_batch_1.bin .. data_batch_5.bin that exist, in that order, at least one; test:
// test_batch.bin), or from a single file (the split is then ignored). Order is preserved.
Cifar10Records load_cifar10(const std::filesystem::path& dir_or_file, Cifar10Category category,
                            Cifar10Split split);

// N x 3 x 32 x 32 floats, pixel / 256 as in the assignment (so 255 -> 0.996, never 1.0).
HostTensor cifar10_images(const Cifar10Records& records);

} // namespace vkcolor::data
