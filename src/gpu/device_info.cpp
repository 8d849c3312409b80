#include "vkcolor/gpu/device_info.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "vkcolor/gpu/error.hpp"
#include "vkcolor/gpu/instance.hpp"

namespace vkcolor::gpu {

namespace {

std::string vendor_name(uint32_t id) {
    switch (id) {
    case 0x10DE: return "NVIDIA";
    case 0x1002: return "AMD";
    case 0x8086: return "Intel";
    case 0x13B5: return "ARM";
    case 0x5143: return "Qualcomm";
    case 0x1010: return "ImgTec";
    case 0x106B: return "Apple";
    case 0x10005: return "Mesa";
    default: {
        char buf[16];
        std::snprintf(buf, sizeof buf, "0x%04X", id);
        return buf;
    }
    }
}

// Fallback when VkPhysicalDeviceDriverProperties is unavailable: decode the packed version the
// way each vendor packs it.
std::string driver_version_string(uint32_t vendor, uint32_t v) {
    char buf[48];
    if (vendor == 0x10DE)
        std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", v >> 22, (v >> 14) & 0xff, (v >> 6) & 0xff, v & 0x3f);
    else
        std::snprintf(buf, sizeof buf, "%u.%u.%u", VK_API_VERSION_MAJOR(v), VK_API_VERSION_MINOR(v), VK_API_VERSION_PATCH(v));
    return buf;
}

int type_rank(VkPhysicalDeviceType t) {
    switch (t) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return 4;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return 3;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return 2;
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return 1;
    default: return 0;
    }
}

bool device_has_extension(VkPhysicalDevice dev, const char* name) {
    uint32_t n = 0;
    vkEnumerateDeviceExtensionProperties(dev, nullptr, &n, nullptr);
    std::vector<VkExtensionProperties> exts(n);
    vkEnumerateDeviceExtensionProperties(dev, nullptr, &n, exts.data());
    for (auto& e : exts)
        if (std::strcmp(e.extensionName, name) == 0) return true;
    return false;
}

DeviceInfo describe(VkPhysicalDevice dev, uint32_t index) {
    DeviceInfo d;
    d.index = index;
    d.handle = dev;

    VkPhysicalDeviceProperties base{};
    vkGetPhysicalDeviceProperties(dev, &base);
    d.api_version = base.apiVersion;
    d.name = base.deviceName;
    d.type = base.deviceType;
    d.vendor_id = base.vendorID;
    d.vendor = vendor_name(base.vendorID);
    const auto& lim = base.limits;
    d.shared_memory_bytes = lim.maxComputeSharedMemorySize;
    d.max_workgroup_invocations = lim.maxComputeWorkGroupInvocations;
    for (int i = 0; i < 3; ++i) {
        d.max_workgroup_size[i] = lim.maxComputeWorkGroupSize[i];
        d.max_workgroup_count[i] = lim.maxComputeWorkGroupCount[i];
    }
    d.min_storage_buffer_offset_alignment = lim.minStorageBufferOffsetAlignment;
    d.max_storage_buffer_range = lim.maxStorageBufferRange;
    d.max_texel_buffer_elements = lim.maxTexelBufferElements;
    d.min_texel_buffer_offset_alignment = lim.minTexelBufferOffsetAlignment;
    d.max_push_constants_bytes = lim.maxPushConstantsSize;
    d.timestamp_period_ns = lim.timestampPeriod;
    d.driver = driver_version_string(base.vendorID, base.driverVersion);

    if (base.apiVersion < VK_API_VERSION_1_1) {
        d.unusable_reason = "supports only Vulkan " + d.api_string() + " (1.1 needed)";
    } else {
        // Subgroup size: the 1.1 property, refined by the 1.3 / EXT size-control range.
        VkPhysicalDeviceSubgroupProperties subgroup{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES};
        VkPhysicalDeviceSubgroupSizeControlPropertiesEXT size_control{
            VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_SIZE_CONTROL_PROPERTIES_EXT};
        VkPhysicalDeviceDriverProperties driver{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES};
        VkPhysicalDeviceProperties2 props{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
        props.pNext = &subgroup;
        void** tail = &subgroup.pNext;
        bool has_size_control = base.apiVersion >= VK_API_VERSION_1_3 ||
                                device_has_extension(dev, VK_EXT_SUBGROUP_SIZE_CONTROL_EXTENSION_NAME);
        bool has_driver_props = base.apiVersion >= VK_API_VERSION_1_2 ||
                                device_has_extension(dev, VK_KHR_DRIVER_PROPERTIES_EXTENSION_NAME);
        if (has_size_control) { *tail = &size_control; tail = &size_control.pNext; }
        if (has_driver_props) { *tail = &driver; tail = &driver.pNext; }
        vkGetPhysicalDeviceProperties2(dev, &props);
        d.subgroup_size = subgroup.subgroupSize;
        d.subgroup_shuffle = (subgroup.supportedStages & VK_SHADER_STAGE_COMPUTE_BIT) &&
                             (subgroup.supportedOperations & VK_SUBGROUP_FEATURE_SHUFFLE_BIT);
        d.min_subgroup_size = has_size_control ? size_control.minSubgroupSize : subgroup.subgroupSize;
        d.max_subgroup_size = has_size_control ? size_control.maxSubgroupSize : subgroup.subgroupSize;
        if (has_driver_props && driver.driverName[0]) {
            d.driver = driver.driverName;
            if (driver.driverInfo[0]) d.driver += std::string(" (") + driver.driverInfo + ")";
        }
    }

    VkPhysicalDeviceMemoryProperties mem{};
    vkGetPhysicalDeviceMemoryProperties(dev, &mem);
    for (uint32_t h = 0; h < mem.memoryHeapCount; ++h)
        if (mem.memoryHeaps[h].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT)
            d.device_local_bytes = std::max<uint64_t>(d.device_local_bytes, mem.memoryHeaps[h].size);
    // Unified: a CPU or integrated device whose device-local memory the host can map coherently,
    // so tensors are read and written in place with no staging copies.
    const VkMemoryPropertyFlags unified = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT |
                                          VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
                                          VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
    if (d.type == VK_PHYSICAL_DEVICE_TYPE_CPU || d.type == VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU)
        for (uint32_t t = 0; t < mem.memoryTypeCount; ++t)
            if ((mem.memoryTypes[t].propertyFlags & unified) == unified) d.unified_memory = true;

    // Prefer a compute-only queue family (async compute on discrete GPUs), else any with compute.
    uint32_t nq = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(dev, &nq, nullptr);
    std::vector<VkQueueFamilyProperties> families(nq);
    vkGetPhysicalDeviceQueueFamilyProperties(dev, &nq, families.data());
    for (uint32_t q = 0; q < nq; ++q) {
        if (!(families[q].queueFlags & VK_QUEUE_COMPUTE_BIT)) continue;
        bool compute_only = !(families[q].queueFlags & VK_QUEUE_GRAPHICS_BIT);
        if (d.compute_queue_family == UINT32_MAX || compute_only) {
            d.compute_queue_family = q;
            d.timestamp_valid_bits = families[q].timestampValidBits;
            if (compute_only) break;
        }
    }
    if (d.usable() && d.compute_queue_family == UINT32_MAX) d.unusable_reason = "has no compute queue";
    return d;
}

} // namespace

std::string DeviceInfo::type_name() const {
    switch (type) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return "discrete";
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return "integrated";
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return "virtual";
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return "cpu";
    default: return "other";
    }
}

std::string DeviceInfo::api_string() const {
    return std::to_string(VK_API_VERSION_MAJOR(api_version)) + "." +
           std::to_string(VK_API_VERSION_MINOR(api_version)) + "." +
           std::to_string(VK_API_VERSION_PATCH(api_version));
}

std::vector<DeviceInfo> enumerate_devices(const Instance& instance) {
    uint32_t n = 0;
    check(vkEnumeratePhysicalDevices(instance.handle(), &n, nullptr), "vkEnumeratePhysicalDevices");
    std::vector<VkPhysicalDevice> handles(n);
    check(vkEnumeratePhysicalDevices(instance.handle(), &n, handles.data()), "vkEnumeratePhysicalDevices");
    std::vector<DeviceInfo> out;
    for (uint32_t i = 0; i < n; ++i) out.push_back(describe(handles[i], i));
    return out;
}

std::optional<int> device_from_environment() {
    const char* env = std::getenv("VKCOLOR_DEVICE");
    if (!env || !*env) return std::nullopt;
    char* end = nullptr;
    long v = std::strtol(env, &end, 10);
    if (*end != '\0' || v < 0 || v > 1000)
        throw Error(std::string("VKCOLOR_DEVICE=") + env + " is not a device index (see 'vkcolor devices')");
    return static_cast<int>(v);
}

DeviceChoice choose_device(const std::vector<DeviceInfo>& devices, std::optional<int> requested) {
    if (devices.empty())
        throw Error("no Vulkan device found: install your GPU vendor's Vulkan driver, or Mesa's "
                    "lavapipe (Debian: mesa-vulkan-drivers) to run on the CPU");
    std::string source = "--device";
    if (!requested) {
        requested = device_from_environment();
        source = "VKCOLOR_DEVICE=";
    } else {
        source = "--device ";
    }
    if (requested) {
        int i = *requested;
        if (i < 0 || i >= static_cast<int>(devices.size()))
            throw Error(source + std::to_string(i) + " is out of range: there are " +
                        std::to_string(devices.size()) + " Vulkan device(s), 0 to " +
                        std::to_string(devices.size() - 1) + " (see 'vkcolor devices')");
        const auto& d = devices[i];
        if (!d.usable()) throw Error("device " + std::to_string(i) + " (" + d.name + ") " + d.unusable_reason);
        return {static_cast<uint32_t>(i), "requested by " + source + std::to_string(i)};
    }
    const DeviceInfo* best = nullptr;
    size_t usable = 0;
    for (const auto& d : devices) {
        if (!d.usable()) continue;
        ++usable;
        if (!best || type_rank(d.type) > type_rank(best->type)) best = &d;
    }
    if (!best) throw Error("no usable Vulkan device: " + devices[0].name + " " + devices[0].unusable_reason);
    if (usable == 1) return {best->index, "the only usable device"};
    return {best->index, "the highest-ranked type (discrete > integrated > virtual > cpu) among " +
                             std::to_string(usable) + " devices"};
}

} // namespace vkcolor::gpu
