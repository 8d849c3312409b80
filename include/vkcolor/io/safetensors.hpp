#pragma once
// Checkpoints in the safetensors format (https://github.com/huggingface/safetensors), which
// PyTorch and most frameworks read and write:
//
//   8 bytes      N, the header length, unsigned little-endian
//   N bytes      JSON: {"NAME": {"dtype": "F32", "shape": [32, 1, 3, 3], "data_offsets": [BEGIN, END]},
//                       ..., "__metadata__": {"key": "value", ...}}, padded with spaces so that 8 + N
//                is a multiple of 8
//   the rest     the tensors' raw little-endian bytes; [BEGIN, END) is relative to the start of
//                this part, and the tensors cover it exactly, without gaps or overlaps
//
// Tensors keep their true rank: a conv weight is [32, 1, 3, 3], a bias [32], a scalar [] (one
// element, as PyTorch's int64 num_batches_tracked). vkcolor reads and writes F32 and I64.
#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace vkcolor::io {

enum class DType { F32, I64 };

const char* dtype_name(DType dtype);   // "F32", "I64"

struct StoredTensor {
    std::vector<uint64_t> shape;   // {} is a scalar
    std::variant<std::vector<float>, std::vector<int64_t>> values;

    DType dtype() const { return values.index() == 0 ? DType::F32 : DType::I64; }
    // The values; throw vkcolor::Error if the tensor holds the other dtype.
    const std::vector<float>& f32() const;
    const std::vector<int64_t>& i64() const;
    bool operator==(const StoredTensor&) const = default;
};

StoredTensor f32_tensor(std::vector<uint64_t> shape, std::vector<float> values);
StoredTensor i64_tensor(std::vector<uint64_t> shape, std::vector<int64_t> values);

// Product of the dimensions (1 for a scalar). Throws if it overflows.
uint64_t element_count(const std::vector<uint64_t>& shape);

struct SafeTensors {
    std::map<std::string, StoredTensor> tensors;
    std::map<std::string, std::string> metadata;   // written as "__metadata__" when not empty
    bool operator==(const SafeTensors&) const = default;
};

// The file's bytes. Data is laid out I64 tensors first, then F32 (each group in name order), so
// that every tensor is aligned to its element size, as the reference implementation does.
// Throws if a tensor's value count does not match its shape or a tensor is named "__metadata__".
std::vector<uint8_t> encode_safetensors(const SafeTensors& file);

// Parses and validates everything: lengths, JSON, dtypes, shapes against offsets, offsets in
// range and covering the data exactly. Errors read "<source>: not a valid safetensors file: ...".
SafeTensors decode_safetensors(std::span<const uint8_t> bytes, const std::string& source);

// Atomic: a temporary file in the same directory, fsync, rename.
void write_safetensors(const std::filesystem::path& path, const SafeTensors& file);
SafeTensors read_safetensors(const std::filesystem::path& path);

} // namespace vkcolor::io
