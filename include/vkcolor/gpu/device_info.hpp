#pragma once
// What each physical device is and can do, and which one vkcolor picks.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>
#include <vulkan/vulkan.h>

namespace vkcolor::gpu {

class Instance;

struct DeviceInfo {
    uint32_t index = 0;
    VkPhysicalDevice handle = VK_NULL_HANDLE;
    std::string name;
    VkPhysicalDeviceType type = VK_PHYSICAL_DEVICE_TYPE_OTHER;
    uint32_t vendor_id = 0;
    std::string vendor;            // "NVIDIA", "AMD", "Intel", "Mesa", ...
    std::string driver;            // "llvmpipe (Mesa 22.3.6 (LLVM 15.0.6))"
    uint32_t api_version = 0;
    uint64_t device_local_bytes = 0;   // size of the largest device-local heap
    bool unified_memory = false;       // device-local memory the host can map (CPU / integrated)

    // Compute limits, queried, never assumed.
    uint32_t subgroup_size = 0;
    uint32_t min_subgroup_size = 0;
    uint32_t max_subgroup_size = 0;
    bool subgroup_shuffle = false;     // compute shaders may use subgroupShuffle
    uint32_t shared_memory_bytes = 0;
    uint32_t max_workgroup_invocations = 0;
    std::array<uint32_t, 3> max_workgroup_size{};
    std::array<uint32_t, 3> max_workgroup_count{};
    uint64_t min_storage_buffer_offset_alignment = 0;
    uint64_t max_storage_buffer_range = 0;
    uint32_t max_push_constants_bytes = 0;
    uint32_t max_texel_buffer_elements = 0;              // texels of one texel-buffer view
    uint64_t min_texel_buffer_offset_alignment = 0;

    uint32_t compute_queue_family = UINT32_MAX;   // UINT32_MAX: none
    uint32_t timestamp_valid_bits = 0;            // 0: no timestamps on that queue
    float timestamp_period_ns = 0.0f;

    // Why the device can't be used, empty if it can (Vulkan < 1.1, no compute queue).
    std::string unusable_reason;

    bool usable() const { return unusable_reason.empty(); }
    std::string type_name() const;
    std::string api_string() const;
};

std::vector<DeviceInfo> enumerate_devices(const Instance& instance);

struct DeviceChoice {
    uint32_t index = 0;
    std::string reason;   // "--device 1", "VKCOLOR_DEVICE=1", "the only device", "best type: ..."
};

// Picks a device: an explicit request (--device N, else the VKCOLOR_DEVICE environment
// variable) wins; otherwise discrete > integrated > virtual > CPU, first index on ties.
// Throws vkcolor::Error when the request is out of range or no device is usable.
DeviceChoice choose_device(const std::vector<DeviceInfo>& devices, std::optional<int> requested);

// Reads VKCOLOR_DEVICE; throws if it is set but not a non-negative integer.
std::optional<int> device_from_environment();

} // namespace vkcolor::gpu
