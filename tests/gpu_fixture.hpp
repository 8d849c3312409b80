#pragma once
// The GPU every test in a process shares: created on first use with the Khronos validation
// layer and synchronization validation on. Any validation message fails the run (see main.cpp).
// Without any Vulkan device, the process prints why and exits 77, which ctest reports as a skip.
#include <optional>
#include <string>

#include "vkcolor/gpu/context.hpp"

namespace vkcolor::test {

gpu::Context& gpu();
bool gpu_created();
void destroy_gpu();

// Fails the current test if the validation layer reported anything (messages are printed).
void require_no_validation_messages();

// Forces one kernel variant of an op on a context for a scope (tests that run every variant),
// and puts back what was forced before.
class ForcedVariant {
public:
    ForcedVariant(gpu::Context& ctx, const std::string& op, const std::string& variant)
        : ctx_(ctx), op_(op), before_(ctx.forced_variant(op)) {
        ctx.force_variant(op, variant);
    }
    ~ForcedVariant() {
        if (before_) ctx_.force_variant(op_, *before_);
        else ctx_.clear_forced_variant(op_);
    }
    ForcedVariant(const ForcedVariant&) = delete;
    ForcedVariant& operator=(const ForcedVariant&) = delete;

private:
    gpu::Context& ctx_;
    std::string op_;
    std::optional<std::string> before_;
};

} // namespace vkcolor::test
