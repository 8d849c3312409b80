#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "gpu_fixture.hpp"
#include "vkcolor/gpu/error.hpp"

namespace vkcolor::test {

namespace {
std::unique_ptr<gpu::Context> g_context;
}

gpu::Context& gpu() {
    if (g_context) return *g_context;
    gpu::ContextOptions o;
    o.validation = true;
    o.persistent_pipeline_cache = false;   // tests leave nothing behind in ~/.cache
    o.gpu_timeout_seconds = 120;
    try {
        g_context = std::make_unique<gpu::Context>(o);
    } catch (const Error& e) {
        std::printf("SKIPPED: no usable Vulkan device: %s\n", e.what());
        std::fflush(stdout);
        std::_Exit(77);
    }
    if (!g_context->instance().validation_enabled()) {
        const char* allow = std::getenv("VKCOLOR_TESTS_ALLOW_NO_VALIDATION");
        if (!allow || *allow != '1') {
            std::printf("FAILED: validation is required for GPU tests: %s "
                        "(set VKCOLOR_TESTS_ALLOW_NO_VALIDATION=1 to run without it)\n",
                        g_context->instance().validation_unavailable_reason().c_str());
            std::fflush(stdout);
            std::_Exit(1);
        }
    }
    return *g_context;
}

bool gpu_created() { return g_context != nullptr; }

void destroy_gpu() { g_context.reset(); }

void require_no_validation_messages() {
    if (!g_context) return;
    auto messages = g_context->instance().validation_messages();
    for (auto& m : messages) UNSCOPED_INFO(m);
    REQUIRE(messages.empty());
}

} // namespace vkcolor::test

int main(int argc, char** argv) {
    int result = Catch::Session().run(argc, argv);
    vkcolor::test::destroy_gpu();   // messages from tearing down count too
    {
        // Any validation message anywhere in the run is a failure, even one no test asked about.
        size_t n = vkcolor::gpu::Instance::process_validation_message_count();
        if (n) {
            std::printf("FAILED: the validation layer reported %zu message(s) during the run\n", n);
            result = result ? result : 1;
        }
    }
    return result;
}
