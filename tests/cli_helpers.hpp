#pragma once
// Running the vkcolor binary from tests, as a user would: exit code and everything it printed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <sys/wait.h>

namespace vkcolor::test {

struct Run {
    int code;
    std::string out;   // stdout and stderr together
};

inline Run run_vkcolor(const std::string& args) {
    std::string cmd = std::string(VKCOLOR_BINARY) + " " + args + " 2>&1";
    FILE* f = popen(cmd.c_str(), "r");
    REQUIRE(f);
    std::string out;
    std::array<char, 4096> buf;
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), f)) > 0) out.append(buf.data(), n);
    int status = pclose(f);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

inline size_t line_count(const std::string& s) { return std::count(s.begin(), s.end(), '\n'); }

} // namespace vkcolor::test
