#pragma once
// The GPU every test in a process shares: created on first use with the Khronos validation
// layer and synchronization validation on. Any validation message fails the run (see main.cpp).
// Without any Vulkan device, the process prints why and exits 77, which ctest reports as a skip.
#include "vkcolor/gpu/context.hpp"

namespace vkcolor::test {

gpu::Context& gpu();
bool gpu_created();
void destroy_gpu();

// Fails the current test if the validation layer reported anything (messages are printed).
void require_no_validation_messages();

} // namespace vkcolor::test
