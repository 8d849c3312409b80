// Embedded shaders, their reflection, and the checks dispatches get from it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <cstdlib>

#include "gpu_fixture.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/gpu/shaders.hpp"
#include "vkcolor/tensor.hpp"

using namespace vkcolor;
using Access = gpu::ShaderInterface::Access;

TEST_CASE("shaders are embedded and reflected", "[shaders]") {
    auto names = gpu::shader_names();
    CHECK(std::find(names.begin(), names.end(), "axpb") != names.end());
    auto iface = gpu::reflect("axpb", gpu::shader_spirv("axpb"));
    REQUIRE(iface.bindings.size() == 2);
    CHECK(iface.bindings[0] == Access::Read);    // readonly
    CHECK(iface.bindings[1] == Access::Write);   // writeonly
    CHECK(iface.push_constant_bytes == 12);
    REQUIRE(iface.spec_ids.size() == 1);
    CHECK(iface.spec_ids[0] == 0);   // local_size_x_id
    CHECK_THROWS_WITH(gpu::shader_spirv("no_such_shader"), Catch::Contains("no embedded shader named 'no_such_shader'"));
    std::vector<uint32_t> junk = {1, 2, 3, 4, 5, 6};
    CHECK_THROWS_WITH(gpu::reflect("junk", junk), Catch::Contains("not SPIR-V"));
}

TEST_CASE("pipelines are cached and dispatches are checked against the shader", "[gpu][pipeline]") {
    auto& ctx = test::gpu();
    const auto& p1 = ctx.pipeline(shaders::axpb, {64});
    const auto& p2 = ctx.pipeline(shaders::axpb, {64});
    const auto& p3 = ctx.pipeline(shaders::axpb, {128});
    CHECK(&p1 == &p2);
    CHECK(&p1 != &p3);
    CHECK(p3.local_size[0] == 128);
    CHECK(ctx.pipeline(shaders::axpb).local_size[0] == 64);   // the shader's default
    CHECK_THROWS_WITH(ctx.pipeline(shaders::axpb, {64, 1, 1, 9}), Catch::Contains("no specialization constant 1"));
    CHECK_THROWS_WITH(ctx.pipeline(shaders::axpb, {100000}), Catch::Contains("exceeds this device's limit"));

    Tensor x(ctx, Shape{1, 1, 1, 8}), y(ctx, Shape{1, 1, 1, 8});
    struct Push { uint32_t n; float a, b; } push{8, 1, 0};
    struct Short { uint32_t n; } short_push{8};
    gpu::Recording rec(ctx);
    CHECK_THROWS_WITH(rec.dispatch(p1, {x}, push, {1, 1, 1}), Catch::Contains("has 2 bindings but the dispatch gave 1"));
    CHECK_THROWS_WITH(rec.dispatch(p1, {x, y}, short_push, {1, 1, 1}), Catch::Contains("takes 12 bytes of push constants"));
    CHECK_THROWS_WITH(rec.dispatch(p1, {x, y}, push, {0, 1, 1}), Catch::Contains("0 workgroups"));
    rec.finish();
    test::require_no_validation_messages();
}

TEST_CASE("the pipeline cache persists under XDG_CACHE_HOME", "[gpu][pipeline]") {
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / ("vkcolor-cache-test-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    setenv("XDG_CACHE_HOME", dir.c_str(), 1);
    gpu::ContextOptions o;
    o.validation = true;
    std::string file;
    {
        gpu::Context ctx(o);
        file = gpu::default_pipeline_cache_file(ctx.info());
        ctx.pipeline(shaders::axpb, {64});
    }
    CHECK(file.rfind(dir.string(), 0) == 0);
    CHECK(fs::exists(file));
    CHECK(fs::file_size(file) > 0);
    // A second context loads it, and a corrupt file is ignored rather than trusted.
    { gpu::Context ctx(o); ctx.pipeline(shaders::axpb, {64}); }
    { std::ofstream(file, std::ios::binary) << "garbage that is not a pipeline cache at all......"; }
    { gpu::Context ctx(o); CHECK(ctx.pipeline(shaders::axpb, {64}).pipeline != VK_NULL_HANDLE); }
    unsetenv("XDG_CACHE_HOME");
    fs::remove_all(dir);
    CHECK(gpu::Instance::process_validation_message_count() == 0);
}
