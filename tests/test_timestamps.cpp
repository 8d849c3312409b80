// GPU timestamps around recorded regions.
#include <catch2/catch.hpp>

#include <cmath>

#include "gpu_fixture.hpp"
#include "test_helpers.hpp"
#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/tensor.hpp"

using namespace vkcolor;

TEST_CASE("timestamps are read back for each region, replay after replay", "[gpu][timestamps]") {
    auto& ctx = test::gpu();
    gpu::Recording rec(ctx);
    if (!rec.timestamps_supported()) {
        WARN("the compute queue of " << ctx.info().name << " has no timestamps; regions are not timed");
        CHECK(rec.region_times().empty());
        return;
    }
    struct Push { uint32_t n; float a, b; };
    const uint32_t n = 1u << 20;
    const auto& p = ctx.pipeline(shaders::axpb, {64});
    Tensor x(ctx, Shape{1, 1, 1, n}), y(ctx, Shape{1, 1, 1, n});
    x.upload(ctx, test::random_values(n, 2));

    rec.begin_region("step");
    for (int i = 0; i < 3; ++i) {
        rec.begin_region("layer" + std::to_string(i));
        rec.dispatch_1d(p, {x, y}, Push{n, 1.0f, float(i)}, n);
        rec.end_region();
    }
    rec.end_region();
    rec.finish();
    for (int replay = 0; replay < 3; ++replay) {
        ctx.run(rec);
        auto times = rec.region_times();
        REQUIRE(times.size() == 4);
        CHECK(times[0].name == "step");
        CHECK(times[3].name == "layer2");
        double layers = 0;
        for (size_t i = 0; i < times.size(); ++i) {
            INFO(times[i].name << ": " << times[i].milliseconds << " ms");
            CHECK(std::isfinite(times[i].milliseconds));
            CHECK(times[i].milliseconds >= 0.0);
            if (i) layers += times[i].milliseconds;
        }
        // The enclosing region covers its parts, and a million-element dispatch takes time.
        CHECK(times[0].milliseconds >= layers * 0.999);
        CHECK(times[0].milliseconds > 0.0);
    }
    test::require_no_validation_messages();
}

TEST_CASE("unbalanced regions are refused", "[gpu][timestamps]") {
    auto& ctx = test::gpu();
    gpu::Recording rec(ctx);
    if (!rec.timestamps_supported()) return;
    CHECK_THROWS_WITH(rec.end_region(), Catch::Contains("without begin_region"));
    rec.begin_region("open");
    CHECK_THROWS_WITH(rec.finish(), Catch::Contains("'open' was not ended"));
    rec.end_region();
    rec.finish();
    test::require_no_validation_messages();
}
