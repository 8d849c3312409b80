#pragma once
// Helpers for the data-layer tests: the shared CIFAR-10 horse files, scratch directories, and
// checking that a call throws a vkcolor::Error mentioning given text.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "vkcolor/gpu/error.hpp"

namespace vkcolor::test {

// The horse subset of CIFAR-10 (shared/data/cifar10-horse beside the repository). Tests that need
// it call this first: without the data the process reports a skip (exit 77) instead of passing.
inline std::filesystem::path horse_data_dir() {
    std::filesystem::path dir = std::filesystem::path(VKCOLOR_SOURCE_DIR) / ".." / "shared" / "data" / "cifar10-horse";
    std::error_code ec;
    if (!std::filesystem::exists(dir / "data_batch_1.bin", ec) || !std::filesystem::exists(dir / "test_batch.bin", ec)) {
        std::printf("SKIPPED: the CIFAR-10 horse data is not at %s\n", dir.string().c_str());
        std::fflush(stdout);
        std::_Exit(77);
    }
    return dir;
}

// A fresh empty directory, removed when the object goes out of scope.
struct ScratchDir {
    std::filesystem::path path;
    ScratchDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "vkcolor-test-XXXXXX").string();
        REQUIRE(mkdtemp(tmpl.data()));
        path = tmpl;
    }
    ~ScratchDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::filesystem::path operator/(const std::string& name) const { return path / name; }
    // Every file name in the directory, temporaries included.
    std::vector<std::string> names() const {
        std::vector<std::string> out;
        for (const auto& e : std::filesystem::directory_iterator(path)) out.push_back(e.path().filename().string());
        std::sort(out.begin(), out.end());
        return out;
    }
};

inline void write_bytes(const std::filesystem::path& path, const std::vector<uint8_t>& bytes) {
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    REQUIRE(f.good());
}

inline void write_text(const std::filesystem::path& path, const std::string& text) {
    write_bytes(path, std::vector<uint8_t>(text.begin(), text.end()));
}

inline std::vector<uint8_t> read_bytes(const std::filesystem::path& path) {
    std::ifstream f(path, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {});
}

} // namespace vkcolor::test

// REQUIRE that `expr` throws vkcolor::Error whose message contains every given piece of text.
#define REQUIRE_ERROR_CONTAINS(expr, ...)                                                   \
    do {                                                                                    \
        bool thrown_ = false;                                                               \
        try {                                                                               \
            (void)(expr);                                                                   \
        } catch (const ::vkcolor::Error& e_) {                                              \
            thrown_ = true;                                                                 \
            INFO("message: " << e_.what());                                                 \
            for (const std::string& piece_ : std::vector<std::string>{__VA_ARGS__})         \
                CHECK_THAT(std::string(e_.what()), Catch::Contains(piece_));                \
            CHECK(std::string(e_.what()).find('\n') == std::string::npos);                  \
        }                                                                                   \
        if (!thrown_) FAIL("expected a vkcolor::Error from " #expr);                        \
    } while (0)
