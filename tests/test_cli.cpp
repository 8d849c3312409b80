// The vkcolor binary as a user runs it: exit codes and what it prints.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/wait.h>

#include "cli_helpers.hpp"

using Catch::Contains;
using vkcolor::test::Run;
const auto run = vkcolor::test::run_vkcolor;
const auto lines = vkcolor::test::line_count;

TEST_CASE("vkcolor --version and --help", "[cli]") {
    auto v = run("--version");
    CHECK(v.code == 0);
    CHECK(v.out == std::string("vkcolor ") + VKCOLOR_VERSION + "\n");
    auto h = run("--help");
    CHECK(h.code == 0);
    CHECK_THAT(h.out, Contains("devices"));
    CHECK_THAT(h.out, Contains("--device"));
}

TEST_CASE("unknown commands and flags give a one-line error and exit 2", "[cli]") {
    for (const char* args : {"frobnicate", "--frobnicate devices", "devices --frobnicate", "", "--device -3 devices"}) {
        INFO("vkcolor " << args);
        auto r = run(args);
        CHECK(r.code == 2);
        CHECK(lines(r.out) == 1);
        CHECK_THAT(r.out, Contains("vkcolor: error: "));
    }
}

TEST_CASE("vkcolor devices lists the devices and marks the default", "[cli][gpu]") {
    auto r = run("devices");
    if (r.out.find("no Vulkan device found") != std::string::npos) {
        std::printf("SKIPPED: %s", r.out.c_str());
        std::fflush(stdout);
        std::_Exit(77);
    }
    INFO(r.out);
    CHECK(r.code == 0);
    CHECK_THAT(r.out, Contains("subgroup"));
    CHECK_THAT(r.out, Contains("shared mem"));
    CHECK_THAT(r.out, Contains("* default device: "));

    auto j = run("devices --json");
    REQUIRE(j.code == 0);
    auto doc = nlohmann::json::parse(j.out);
    REQUIRE(doc.is_array());
    REQUIRE(!doc.empty());
    int defaults = 0;
    for (auto& d : doc) {
        defaults += d["default"].get<bool>();
        CHECK(d["subgroup_size"].get<int>() > 0);
    }
    CHECK(defaults == 1);

    auto bad = run("devices --device 99");
    CHECK(bad.code == 1);
    CHECK_THAT(bad.out, Contains("vkcolor: error: --device 99 is out of range"));
}
