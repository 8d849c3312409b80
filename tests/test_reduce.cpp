// Deterministic reductions (shaders channel_sum_partial, sum_partials).
#include <catch2/catch.hpp>

#include "gpu_fixture.hpp"
#include "op_test.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/layers/reduce.hpp"

using namespace vkcolor;

TEST_CASE("channel_sum: GPU matches the CPU reference", "[gpu][reduce]") { test::require_op_check_passes("channel_sum"); }

TEST_CASE("channel_sum: the same input gives the same bits, run after run", "[gpu][reduce][determinism]") {
    auto& ctx = test::gpu();
    Shape s{64, 7, 17, 19};
    HostTensor a = check::random_tensor(s, 1, -100.0f, 100.0f), b = check::random_tensor(s, 2);
    Tensor ga = check::to_gpu(ctx, a), gb = check::to_gpu(ctx, b);
    std::vector<std::vector<float>> runs;
    for (int i = 0; i < 3; ++i) {
        Tensor out(ctx, {1, s.c, 1, 1});
        gpu::Recording rec(ctx);
        layers::channel_sum(rec, ga, &gb, out);
        rec.finish();
        ctx.run(rec);
        ctx.run(rec);   // and replays of one recording
        runs.push_back(out.download(ctx));
    }
    CHECK(runs[0] == runs[1]);
    CHECK(runs[0] == runs[2]);
    test::require_no_validation_messages();
}
