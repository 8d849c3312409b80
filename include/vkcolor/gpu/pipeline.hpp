#pragma once
// Compute pipelines built from the embedded SPIR-V, keyed by shader name and specialization
// constants, created once and cached for the life of the context (and across runs on disk
// through a VkPipelineCache).
//
// Convention for shaders: specialization constants 0, 1, 2 are the workgroup size x, y, z
// (`layout(local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;`); further
// constants start at id 3.
#include <array>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>
#include <vulkan/vulkan.h>

#include "vkcolor/gpu/shaders.hpp"

namespace vkcolor::gpu {

struct DeviceInfo;

struct Pipeline {
    std::string name;
    VkPipeline pipeline = VK_NULL_HANDLE;
    VkPipelineLayout layout = VK_NULL_HANDLE;
    VkDescriptorSetLayout set_layout = VK_NULL_HANDLE;
    ShaderInterface iface;
    std::array<uint32_t, 3> local_size{1, 1, 1};   // with specialization applied
    uint32_t push_range_bytes = 0;                  // size of the layout's push-constant range
};

class PipelineCache {
public:
    // cache_file: where the VkPipelineCache is loaded from and saved to; empty for none.
    PipelineCache(VkDevice device, const DeviceInfo& info, std::string cache_file);
    ~PipelineCache();
    PipelineCache(const PipelineCache&) = delete;
    PipelineCache& operator=(const PipelineCache&) = delete;

    // spec[i] is the value of specialization constant i; constants beyond spec keep their
    // defaults. Throws if spec names a constant the shader does not have.
    const Pipeline& get(const std::string& shader, std::span<const uint32_t> spec = {});
    const Pipeline& get(const std::string& shader, std::initializer_list<uint32_t> spec) {
        return get(shader, std::span<const uint32_t>(spec.begin(), spec.size()));
    }

    size_t size() const { return pipelines_.size(); }
    // Writes the VkPipelineCache to cache_file (temporary file + rename). Also done on destruction.
    void save() const;

private:
    VkDevice device_;
    const DeviceInfo& info_;
    std::string cache_file_;
    VkPipelineCache cache_ = VK_NULL_HANDLE;
    std::map<std::string, std::unique_ptr<Pipeline>> pipelines_;
    std::map<std::string, VkShaderModule> modules_;
};

// Default location of the on-disk cache: $XDG_CACHE_HOME/vkcolor or ~/.cache/vkcolor, one file
// per device and driver. Empty if neither variable is set.
std::string default_pipeline_cache_file(const DeviceInfo& info);

} // namespace vkcolor::gpu
