#pragma once
// Every VkResult is checked; failures become vkcolor::Error with the call and a readable reason.
#include <stdexcept>
#include <string>
#include <vulkan/vulkan.h>

namespace vkcolor {

// The one exception type of vkcolor: its message is a complete, user-readable sentence.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

namespace gpu {

// A Vulkan call failed. result() lets callers single out device loss and out-of-memory.
class VulkanError : public Error {
public:
    VulkanError(const std::string& call, VkResult result);
    VkResult result() const { return result_; }

private:
    VkResult result_;
};

// "VK_ERROR_DEVICE_LOST" and a plain-language explanation of what it means for the user.
const char* result_name(VkResult r);
const char* result_explanation(VkResult r);

// Throws VulkanError unless r is VK_SUCCESS (or another non-error status the caller expects).
inline void check(VkResult r, const char* call) {
    if (r < 0) throw VulkanError(call, r);
}

} // namespace gpu
} // namespace vkcolor

#define VK_CHECK(call) ::vkcolor::gpu::check((call), #call)
