#pragma once
// One Vulkan device ready for compute: instance, chosen physical device, logical device, queue,
// memory allocator and pipeline cache. Everything on the GPU goes through a Context.
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>
#include <vulkan/vulkan.h>

#include "vkcolor/gpu/device_info.hpp"
#include "vkcolor/gpu/instance.hpp"
#include "vkcolor/gpu/memory.hpp"
#include "vkcolor/gpu/pipeline.hpp"
#include "vkcolor/shader_names.hpp"

namespace vkcolor::gpu {

class Recording;

struct ContextOptions {
    std::optional<int> device;        // --device N; otherwise VKCOLOR_DEVICE; otherwise ranked
    bool validation = false;          // Khronos validation + synchronization validation
    bool print_validation = true;     // echo validation messages to stderr
    bool persistent_pipeline_cache = true;  // keep compiled pipelines under ~/.cache/vkcolor
    double gpu_timeout_seconds = 600; // a submission not done by then is reported, not waited on
    std::map<std::string, std::string> variants;   // op -> kernel variant forced (--conv)
};

class Context {
public:
    explicit Context(const ContextOptions& options = {});
    ~Context();
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    Instance& instance() { return *instance_; }
    const DeviceInfo& info() const { return info_; }
    const std::string& choice_reason() const { return choice_reason_; }
    VkDevice device() const { return device_; }
    VkQueue queue() const { return queue_; }
    VkCommandPool command_pool() const { return pool_; }
    Allocator& allocator() { return *allocator_; }
    PipelineCache& pipelines() { return *pipelines_; }
    // shaders::Name (generated from shaders/*.comp): a misspelled name does not compile.
    const Pipeline& pipeline(shaders::Name shader, std::initializer_list<uint32_t> spec = {}) {
        return pipelines_->get(shader.text, spec);
    }

    Buffer create_buffer(size_t bytes, MemoryKind kind = MemoryKind::Device) {
        return allocator_->create_buffer(bytes, kind);
    }

    // Synchronous transfers for setup and tests: they wait until the GPU is idle, then copy
    // directly through a mapping (unified memory) or through a temporary staging buffer.
    void upload(const Buffer& dst, const void* src, size_t bytes, size_t dst_offset = 0);
    void download(const Buffer& src, void* dst, size_t bytes, size_t src_offset = 0);

    // Submits a finished recording; it may be submitted again once wait() has returned.
    void submit(Recording& rec);
    void wait(Recording& rec);
    void run(Recording& rec) { submit(rec); wait(rec); }
    void wait_idle();

    // Workgroups for `items` work items at `per_group` each, capped at the device's limit on
    // the x dimension (shaders loop over the remainder: grid-stride loops).
    uint32_t groups_for(uint64_t items, uint32_t per_group) const;

    double gpu_timeout_seconds() const { return timeout_s_; }

    // Kernel variants forced for this context (op name -> variant name, e.g. "conv2d" ->
    // "tiled"), for the checks that run every variant and for --kernels; an op not named here
    // chooses by itself (e.g. layers::conv2d_kernels).
    void force_variant(const std::string& op, const std::string& variant) { forced_[op] = variant; }
    void clear_forced_variant(const std::string& op) { forced_.erase(op); }
    std::optional<std::string> forced_variant(const std::string& op) const {
        auto it = forced_.find(op);
        return it == forced_.end() ? std::nullopt : std::optional<std::string>(it->second);
    }

private:
    std::unique_ptr<Instance> instance_;
    DeviceInfo info_;
    std::string choice_reason_;
    VkDevice device_ = VK_NULL_HANDLE;
    VkQueue queue_ = VK_NULL_HANDLE;
    VkCommandPool pool_ = VK_NULL_HANDLE;
    std::unique_ptr<Allocator> allocator_;
    std::unique_ptr<PipelineCache> pipelines_;
    double timeout_s_ = 600;
    std::map<std::string, std::string> forced_;
};

// Forces one kernel variant of an op on a context for a scope (the checks and tests that run
// every variant), and puts back what was forced before.
class ForcedVariant {
public:
    ForcedVariant(Context& ctx, const std::string& op, const std::string& variant)
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
    Context& ctx_;
    std::string op_;
    std::optional<std::string> before_;
};

} // namespace vkcolor::gpu
