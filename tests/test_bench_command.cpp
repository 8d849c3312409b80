// `vkcolor bench ops` as a user runs it: every UNet convolution and pass timed, as a table and
// as JSON.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <sys/wait.h>

#include "cli_helpers.hpp"

using Catch::Contains;
using vkcolor::test::Run;
using vkcolor::test::run_vkcolor;

namespace {
void skip_without_device(const Run& r) {
    if (r.out.find("no Vulkan device found") != std::string::npos) {
        std::printf("SKIPPED: %s", r.out.c_str());
        std::fflush(stdout);
        std::_Exit(77);
    }
}
} // namespace

TEST_CASE("vkcolor bench ops times every pass of every UNet convolution", "[cli][gpu][bench]") {
    auto r = run_vkcolor("bench ops --batch 1 --repeat 1 --json");
    skip_without_device(r);
    INFO(r.out);
    REQUIRE(r.code == 0);
    auto doc = nlohmann::json::parse(r.out);
    CHECK(doc["batch"] == 1);
    std::set<std::string> layers, passes;
    for (const auto& row : doc["results"]) {
        layers.insert(row["layer"].get<std::string>());
        passes.insert(row["pass"].get<std::string>());
        CHECK(row["ms"].get<double>() > 0.0);
        CHECK(std::isfinite(row["gflops"].get<double>()));
    }
    CHECK(doc["results"].size() == 24);
    CHECK(layers.size() == 6);
    CHECK(layers.count("25->24 @32x32") == 1);
    CHECK(passes == std::set<std::string>{"forward", "forward (naive)", "backward_input", "backward_weight"});

    auto table = run_vkcolor("bench ops --batch 1 --repeat 1");
    INFO(table.out);
    CHECK(table.code == 0);
    CHECK_THAT(table.out, Contains("GFLOP/s"));
    CHECK_THAT(table.out, Contains("blocked forward vs naive"));
}

TEST_CASE("vkcolor bench needs a mode and valid options", "[cli][bench]") {
    for (const char* args : {"bench", "bench ops --batch 0", "bench ops --repeat x"}) {
        INFO("vkcolor " << args);
        auto r = run_vkcolor(args);
        CHECK(r.code == 2);
        CHECK_THAT(r.out, Contains("vkcolor: error: "));
    }
}
