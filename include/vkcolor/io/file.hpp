#pragma once
// Whole-file reads and crash-safe writes. Every failure is a vkcolor::Error naming the file.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace vkcolor::io {

// The default bound on what read_file reads: no vkcolor input is near it, and a device such as
// /dev/zero given as a file ends with an error instead of filling the memory.
inline constexpr uint64_t default_max_file_bytes = 1ull << 30;

// The whole file, at most max_bytes of it (more is an error, refused before reading when the size
// is known). Throws "<path>: cannot open: <reason>" and the like.
std::vector<uint8_t> read_file(const std::filesystem::path& path, uint64_t max_bytes = default_max_file_bytes);

// What a write does when its target exists already.
enum class OnExisting {
    replace,   // the new file takes its place
    refuse,    // the write fails with "<path>: already exists" and the existing file is untouched
};

// Writes `bytes` to a temporary file in the same directory, fsyncs it and renames it over `path`
// (then fsyncs the directory), so readers see either the old file or the complete new one, and a
// failure (disk full, crash) never leaves a half-written file or destroys an existing one. With
// OnExisting::refuse the final step cannot replace a file, even one made a moment before.
void write_file_atomically(const std::filesystem::path& path, std::span<const uint8_t> bytes,
                           OnExisting existing = OnExisting::replace);

// Renames `from` to `to` (replacing it) and makes the rename durable.
void rename_file(const std::filesystem::path& from, const std::filesystem::path& to);

// Whether `name` is a temporary file write_file_atomically makes (".NAME.tmp-PID-N"); a process
// killed mid-write leaves one behind.
bool is_temporary_file_name(const std::string& name);

// Fault injection for tests: with VKCOLOR_TEST_KILL_AFTER_WRITES=N in the environment, the
// process kills itself with SIGKILL right after its N-th completed write or rename (1-based), so
// a test can stop a run at every point where the files on disk change. Unset: no effect.
void after_write_boundary();

} // namespace vkcolor::io
