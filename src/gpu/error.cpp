#include "vkcolor/gpu/error.hpp"

#include <cstring>

namespace vkcolor::gpu {

namespace {
// "vkCreateDevice(phys, &info, nullptr, &dev)" -> "vkCreateDevice": errors name the call, not
// the argument list.
std::string call_name(const std::string& call) {
    auto paren = call.find('(');
    return paren == std::string::npos ? call : call.substr(0, paren);
}
// Appended piece by piece: GCC 12 warns falsely (-Wrestrict) about the chained operator+.
std::string message(const std::string& call, VkResult r) {
    std::string m = call_name(call);
    m.append(" failed: ").append(result_name(r)).append(" (").append(result_explanation(r)).append(")");
    return m;
}
} // namespace

VulkanError::VulkanError(const std::string& call, VkResult result) : Error(message(call, result)), result_(result) {}

const char* result_name(VkResult r) {
    switch (r) {
#define CASE(x) case x: return #x;
        CASE(VK_SUCCESS) CASE(VK_NOT_READY) CASE(VK_TIMEOUT) CASE(VK_EVENT_SET) CASE(VK_EVENT_RESET)
        CASE(VK_INCOMPLETE) CASE(VK_ERROR_OUT_OF_HOST_MEMORY) CASE(VK_ERROR_OUT_OF_DEVICE_MEMORY)
        CASE(VK_ERROR_INITIALIZATION_FAILED) CASE(VK_ERROR_DEVICE_LOST) CASE(VK_ERROR_MEMORY_MAP_FAILED)
        CASE(VK_ERROR_LAYER_NOT_PRESENT) CASE(VK_ERROR_EXTENSION_NOT_PRESENT)
        CASE(VK_ERROR_FEATURE_NOT_PRESENT) CASE(VK_ERROR_INCOMPATIBLE_DRIVER)
        CASE(VK_ERROR_TOO_MANY_OBJECTS) CASE(VK_ERROR_FORMAT_NOT_SUPPORTED)
        CASE(VK_ERROR_FRAGMENTED_POOL) CASE(VK_ERROR_UNKNOWN) CASE(VK_ERROR_OUT_OF_POOL_MEMORY)
        CASE(VK_ERROR_INVALID_EXTERNAL_HANDLE) CASE(VK_ERROR_FRAGMENTATION)
        CASE(VK_ERROR_INVALID_OPAQUE_CAPTURE_ADDRESS) CASE(VK_PIPELINE_COMPILE_REQUIRED)
#undef CASE
    default: return "VK_ERROR_(unrecognised)";
    }
}

const char* result_explanation(VkResult r) {
    switch (r) {
    case VK_ERROR_OUT_OF_HOST_MEMORY: return "the machine ran out of memory";
    case VK_ERROR_OUT_OF_DEVICE_MEMORY:
        return "the GPU ran out of memory; try a smaller --batch or a smaller model";
    case VK_ERROR_DEVICE_LOST:
        return "the GPU was lost: the driver reset it or a shader ran too long; results are gone";
    case VK_ERROR_INITIALIZATION_FAILED: return "the Vulkan driver failed to initialise";
    case VK_ERROR_INCOMPATIBLE_DRIVER:
        return "no Vulkan driver supports the required API version (1.1)";
    case VK_ERROR_LAYER_NOT_PRESENT: return "a requested Vulkan layer is not installed";
    case VK_ERROR_EXTENSION_NOT_PRESENT: return "a required Vulkan extension is missing";
    case VK_ERROR_FEATURE_NOT_PRESENT: return "a required device feature is missing";
    case VK_ERROR_TOO_MANY_OBJECTS: return "the driver's object limit was reached";
    case VK_ERROR_MEMORY_MAP_FAILED: return "GPU memory could not be mapped";
    case VK_ERROR_OUT_OF_POOL_MEMORY: return "a descriptor pool is exhausted";
    case VK_TIMEOUT: return "the GPU did not finish in time";
    default: return "unexpected Vulkan error";
    }
}

} // namespace vkcolor::gpu
