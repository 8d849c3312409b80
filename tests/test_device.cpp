// Device creation and device selection.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "gpu_fixture.hpp"
#include "vkcolor/gpu/device_info.hpp"
#include "vkcolor/gpu/error.hpp"

using namespace vkcolor;

TEST_CASE("a Vulkan device is created and its limits are queried", "[gpu][device]") {
    auto& ctx = test::gpu();
    const auto& d = ctx.info();
    INFO("device: " << d.name << " (" << d.type_name() << ", " << d.driver << ")");
    CHECK(!d.name.empty());
    CHECK(ctx.device() != VK_NULL_HANDLE);
    CHECK(ctx.queue() != VK_NULL_HANDLE);
    CHECK(d.api_version >= VK_API_VERSION_1_1);
    // Subgroup sizes are queried, and they are powers of two within the reported range.
    CHECK(d.subgroup_size > 0);
    CHECK((d.subgroup_size & (d.subgroup_size - 1)) == 0);
    CHECK(d.min_subgroup_size <= d.subgroup_size);
    CHECK(d.subgroup_size <= d.max_subgroup_size);
    CHECK(d.shared_memory_bytes >= 16384);   // the Vulkan minimum
    CHECK(d.max_workgroup_invocations >= 128);
    CHECK(d.min_storage_buffer_offset_alignment > 0);
    CHECK(!ctx.choice_reason().empty());
    test::require_no_validation_messages();
}

namespace {
gpu::DeviceInfo fake(uint32_t index, VkPhysicalDeviceType type, const char* name) {
    gpu::DeviceInfo d;
    d.index = index;
    d.type = type;
    d.name = name;
    return d;
}
} // namespace

TEST_CASE("device choice ranks discrete > integrated > virtual > cpu", "[device]") {
    unsetenv("VKCOLOR_DEVICE");
    std::vector<gpu::DeviceInfo> devs = {fake(0, VK_PHYSICAL_DEVICE_TYPE_CPU, "llvmpipe"),
                                         fake(1, VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU, "igpu"),
                                         fake(2, VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU, "dgpu"),
                                         fake(3, VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU, "vgpu")};
    CHECK(gpu::choose_device(devs, std::nullopt).index == 2);
    devs[2].unusable_reason = "supports only Vulkan 1.0.0 (1.1 needed)";
    CHECK(gpu::choose_device(devs, std::nullopt).index == 1);
    devs.erase(devs.begin() + 1);
    CHECK(gpu::choose_device(devs, std::nullopt).index == 3);   // virtual beats cpu
    // Ties go to the lower index.
    std::vector<gpu::DeviceInfo> two = {fake(0, VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU, "a"),
                                        fake(1, VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU, "b")};
    CHECK(gpu::choose_device(two, std::nullopt).index == 0);
    auto only = gpu::choose_device({fake(0, VK_PHYSICAL_DEVICE_TYPE_CPU, "llvmpipe")}, std::nullopt);
    CHECK(only.reason == "the only usable device");
}

TEST_CASE("an explicit device request wins and is range-checked", "[device]") {
    std::vector<gpu::DeviceInfo> devs = {fake(0, VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU, "dgpu"),
                                         fake(1, VK_PHYSICAL_DEVICE_TYPE_CPU, "llvmpipe")};
    unsetenv("VKCOLOR_DEVICE");
    auto c = gpu::choose_device(devs, 1);
    CHECK(c.index == 1);
    CHECK(c.reason == "requested by --device 1");
    CHECK_THROWS_WITH(gpu::choose_device(devs, 2), Catch::Contains("--device 2 is out of range"));

    setenv("VKCOLOR_DEVICE", "1", 1);
    CHECK(gpu::choose_device(devs, std::nullopt).index == 1);
    CHECK(gpu::choose_device(devs, 0).index == 0);   // the flag beats the environment
    setenv("VKCOLOR_DEVICE", "7", 1);
    CHECK_THROWS_WITH(gpu::choose_device(devs, std::nullopt), Catch::Contains("VKCOLOR_DEVICE=7 is out of range"));
    setenv("VKCOLOR_DEVICE", "gpu", 1);
    CHECK_THROWS_WITH(gpu::choose_device(devs, std::nullopt), Catch::Contains("is not a device index"));
    unsetenv("VKCOLOR_DEVICE");
    CHECK_THROWS_WITH(gpu::choose_device({}, std::nullopt), Catch::Contains("no Vulkan device found"));
}
