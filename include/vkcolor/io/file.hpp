#pragma once
// Whole-file reads and crash-safe writes. Every failure is a vkcolor::Error naming the file.
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

namespace vkcolor::io {

// The whole file. Throws "<path>: cannot open: <reason>" and the like.
std::vector<uint8_t> read_file(const std::filesystem::path& path);

// Writes `bytes` to a temporary file in the same directory, fsyncs it and renames it over `path`
// (then fsyncs the directory), so readers see either the old file or the complete new one, and a
// failure (disk full, crash) never leaves a half-written file or destroys an existing one.
void write_file_atomically(const std::filesystem::path& path, std::span<const uint8_t> bytes);

} // namespace vkcolor::io
