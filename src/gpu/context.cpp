#include "vkcolor/gpu/context.hpp"

#include <algorithm>
#include <cstring>

#include "vkcolor/gpu/error.hpp"
#include "vkcolor/gpu/recording.hpp"

namespace vkcolor::gpu {

Context::Context(const ContextOptions& options) : timeout_s_(options.gpu_timeout_seconds), forced_(options.variants) {
    instance_ = std::make_unique<Instance>(InstanceOptions{options.validation, options.print_validation});
    auto devices = enumerate_devices(*instance_);
    auto choice = choose_device(devices, options.device);
    info_ = devices[choice.index];
    choice_reason_ = choice.reason;

    float priority = 1.0f;
    VkDeviceQueueCreateInfo qi{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
    qi.queueFamilyIndex = info_.compute_queue_family;
    qi.queueCount = 1;
    qi.pQueuePriorities = &priority;

    // MoltenVK and other portability drivers require VK_KHR_portability_subset when they list it.
    std::vector<const char*> extensions;
    uint32_t n = 0;
    vkEnumerateDeviceExtensionProperties(info_.handle, nullptr, &n, nullptr);
    std::vector<VkExtensionProperties> available(n);
    vkEnumerateDeviceExtensionProperties(info_.handle, nullptr, &n, available.data());
    for (auto& e : available)
        if (std::strcmp(e.extensionName, "VK_KHR_portability_subset") == 0)
            extensions.push_back("VK_KHR_portability_subset");

    VkDeviceCreateInfo di{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
    di.queueCreateInfoCount = 1;
    di.pQueueCreateInfos = &qi;
    di.enabledExtensionCount = static_cast<uint32_t>(extensions.size());
    di.ppEnabledExtensionNames = extensions.data();
    check(vkCreateDevice(info_.handle, &di, nullptr, &device_), "vkCreateDevice");
    vkGetDeviceQueue(device_, info_.compute_queue_family, 0, &queue_);

    VkCommandPoolCreateInfo pi{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    pi.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    pi.queueFamilyIndex = info_.compute_queue_family;
    check(vkCreateCommandPool(device_, &pi, nullptr, &pool_), "vkCreateCommandPool");

    allocator_ = std::make_unique<Allocator>(device_, info_);
    pipelines_ = std::make_unique<PipelineCache>(
        device_, info_, options.persistent_pipeline_cache ? default_pipeline_cache_file(info_) : "");
}

Context::~Context() {
    if (device_) vkDeviceWaitIdle(device_);   // best effort: the device may be lost
    pipelines_.reset();
    allocator_.reset();
    if (pool_) vkDestroyCommandPool(device_, pool_, nullptr);
    if (device_) vkDestroyDevice(device_, nullptr);
}

void Context::wait_idle() { check(vkQueueWaitIdle(queue_), "vkQueueWaitIdle"); }

uint32_t Context::groups_for(uint64_t items, uint32_t per_group) const {
    uint64_t g = (items + per_group - 1) / per_group;
    return static_cast<uint32_t>(std::clamp<uint64_t>(g, 1, info_.max_workgroup_count[0]));
}

void Context::upload(const Buffer& dst, const void* src, size_t bytes, size_t dst_offset) {
    if (dst_offset + bytes > dst.size()) throw Error("upload of " + std::to_string(bytes) + " bytes overruns a buffer of " + std::to_string(dst.size()));
    if (bytes == 0) return;
    wait_idle();
    if (dst.mapped()) {
        std::memcpy(static_cast<char*>(dst.mapped()) + dst_offset, src, bytes);
        return;
    }
    Buffer staging = create_buffer(bytes, MemoryKind::Upload);
    std::memcpy(staging.mapped(), src, bytes);
    Recording rec(*this);
    rec.copy(staging, dst, bytes, 0, dst_offset);
    rec.finish();
    run(rec);
}

void Context::download(const Buffer& src, void* dst, size_t bytes, size_t src_offset) {
    if (src_offset + bytes > src.size()) throw Error("download of " + std::to_string(bytes) + " bytes overruns a buffer of " + std::to_string(src.size()));
    if (bytes == 0) return;
    wait_idle();
    if (src.mapped()) {
        std::memcpy(dst, static_cast<const char*>(src.mapped()) + src_offset, bytes);
        return;
    }
    Buffer staging = create_buffer(bytes, MemoryKind::Readback);
    Recording rec(*this);
    rec.copy(src, staging, bytes, src_offset, 0);
    rec.finish();
    run(rec);
    std::memcpy(dst, staging.mapped(), bytes);
}

void Context::submit(Recording& rec) {
    if (!rec.finished()) throw Error("internal: a recording was submitted before finish()");
    if (rec.in_flight_) throw Error("internal: a recording was submitted twice without wait()");
    check(vkResetFences(device_, 1, &rec.fence_), "vkResetFences");
    VkSubmitInfo si{VK_STRUCTURE_TYPE_SUBMIT_INFO};
    si.commandBufferCount = 1;
    si.pCommandBuffers = &rec.cmd_;
    check(vkQueueSubmit(queue_, 1, &si, rec.fence_), "vkQueueSubmit");
    rec.in_flight_ = true;
}

void Context::wait(Recording& rec) {
    if (!rec.in_flight_) return;
    uint64_t ns = static_cast<uint64_t>(timeout_s_ * 1e9);
    VkResult r = vkWaitForFences(device_, 1, &rec.fence_, VK_TRUE, ns);
    if (r == VK_TIMEOUT)
        throw Error("the GPU did not finish a submission within " + std::to_string(static_cast<int>(timeout_s_)) +
                    " s; giving up (the driver may have hung)");
    check(r, "vkWaitForFences");
    rec.in_flight_ = false;
}

} // namespace vkcolor::gpu
