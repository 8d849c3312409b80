#include "vkcolor/gpu/pipeline.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <iterator>

#include "vkcolor/gpu/device_info.hpp"
#include "vkcolor/gpu/error.hpp"

namespace vkcolor::gpu {

namespace {

// The VkPipelineCache header (Vulkan spec, "Pipeline Cache"): a cache written for another
// device or driver is dropped here rather than trusted to the driver's own checks.
bool header_matches(const std::vector<char>& data, VkPhysicalDevice phys) {
    if (data.size() < 32) return false;
    VkPhysicalDeviceProperties p;
    vkGetPhysicalDeviceProperties(phys, &p);
    uint32_t header[4];
    std::memcpy(header, data.data(), sizeof header);
    return header[0] >= 32 && header[1] == VK_PIPELINE_CACHE_HEADER_VERSION_ONE &&
           header[2] == p.vendorID && header[3] == p.deviceID &&
           std::memcmp(data.data() + 16, p.pipelineCacheUUID, VK_UUID_SIZE) == 0;
}

} // namespace

std::string default_pipeline_cache_file(const DeviceInfo& info) {
    namespace fs = std::filesystem;
    fs::path dir;
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) dir = xdg;
    else if (const char* home = std::getenv("HOME"); home && *home) dir = fs::path(home) / ".cache";
    else return {};
    char name[96];
    std::snprintf(name, sizeof name, "pipelines-%04x-%s.bin", info.vendor_id,
                  std::to_string(std::hash<std::string>{}(info.name + info.driver)).c_str());
    return (dir / "vkcolor" / name).string();
}

PipelineCache::PipelineCache(VkDevice device, const DeviceInfo& info, std::string cache_file)
    : device_(device), info_(info), cache_file_(std::move(cache_file)) {
    std::vector<char> data;
    if (!cache_file_.empty()) {
        std::ifstream in(cache_file_, std::ios::binary);
        if (in) data.assign(std::istreambuf_iterator<char>(in), {});
        if (!header_matches(data, info.handle)) data.clear();
    }
    VkPipelineCacheCreateInfo ci{VK_STRUCTURE_TYPE_PIPELINE_CACHE_CREATE_INFO};
    ci.initialDataSize = data.size();
    ci.pInitialData = data.empty() ? nullptr : data.data();
    check(vkCreatePipelineCache(device_, &ci, nullptr, &cache_), "vkCreatePipelineCache");
}

PipelineCache::~PipelineCache() {
    try { save(); } catch (...) { /* the cache is an optimisation; never fail on exit for it */ }
    for (auto& [_, p] : pipelines_) {
        vkDestroyPipeline(device_, p->pipeline, nullptr);
        vkDestroyPipelineLayout(device_, p->layout, nullptr);
        vkDestroyDescriptorSetLayout(device_, p->set_layout, nullptr);
    }
    for (auto& [_, m] : modules_) vkDestroyShaderModule(device_, m, nullptr);
    vkDestroyPipelineCache(device_, cache_, nullptr);
}

void PipelineCache::save() const {
    if (cache_file_.empty() || pipelines_.empty()) return;
    size_t n = 0;
    if (vkGetPipelineCacheData(device_, cache_, &n, nullptr) != VK_SUCCESS || n == 0) return;
    std::vector<char> data(n);
    if (vkGetPipelineCacheData(device_, cache_, &n, data.data()) != VK_SUCCESS) return;
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(fs::path(cache_file_).parent_path(), ec);
    std::string tmp = cache_file_ + ".tmp" + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::binary);
        if (!out.write(data.data(), static_cast<std::streamsize>(n))) return;
    }
    fs::rename(tmp, cache_file_, ec);
    if (ec) fs::remove(tmp, ec);
}

const Pipeline& PipelineCache::get(const std::string& shader, std::span<const uint32_t> spec) {
    std::string key = shader;
    for (uint32_t v : spec) key += ":" + std::to_string(v);
    if (auto it = pipelines_.find(key); it != pipelines_.end()) return *it->second;

    auto words = shader_spirv(shader);
    auto p = std::make_unique<Pipeline>();
    p->name = shader;
    p->iface = reflect(shader, words);

    // Specialization: constant i gets spec[i]; every id asked for must exist in the shader.
    std::vector<VkSpecializationMapEntry> entries;
    std::vector<uint32_t> values;
    for (uint32_t id = 0; id < spec.size(); ++id) {
        bool exists = false;
        for (uint32_t sid : p->iface.spec_ids) exists |= sid == id;
        if (!exists)
            throw Error("shader " + shader + " has no specialization constant " + std::to_string(id));
        entries.push_back({id, static_cast<uint32_t>(values.size() * 4), 4});
        values.push_back(spec[id]);
    }
    for (int d = 0; d < 3; ++d) {
        p->local_size[d] = p->iface.local_size[d];
        for (size_t k = 0; k < p->iface.spec_ids.size(); ++k)
            if (p->iface.spec_ids[k] == static_cast<uint32_t>(d))
                p->local_size[d] = d < static_cast<int>(spec.size()) ? spec[d] : p->iface.spec_defaults[k];
    }
    uint64_t invocations = uint64_t(p->local_size[0]) * p->local_size[1] * p->local_size[2];
    for (int d = 0; d < 3; ++d)
        if (p->local_size[d] == 0 || p->local_size[d] > info_.max_workgroup_size[d])
            throw Error("shader " + shader + ": workgroup size " + std::to_string(p->local_size[d]) +
                        " exceeds this device's limit of " + std::to_string(info_.max_workgroup_size[d]));
    if (invocations > info_.max_workgroup_invocations)
        throw Error("shader " + shader + ": workgroup of " + std::to_string(invocations) +
                    " invocations exceeds this device's limit of " + std::to_string(info_.max_workgroup_invocations));

    VkShaderModule& module = modules_[shader];
    if (!module) {
        VkShaderModuleCreateInfo mi{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
        mi.codeSize = words.size() * 4;
        mi.pCode = words.data();
        check(vkCreateShaderModule(device_, &mi, nullptr, &module), "vkCreateShaderModule");
    }

    std::vector<VkDescriptorSetLayoutBinding> bindings(p->iface.bindings.size());
    for (uint32_t b = 0; b < bindings.size(); ++b)
        bindings[b] = {b, p->iface.texel[b] ? VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER : VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1,
                       VK_SHADER_STAGE_COMPUTE_BIT, nullptr};
    VkDescriptorSetLayoutCreateInfo dl{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
    dl.bindingCount = static_cast<uint32_t>(bindings.size());
    dl.pBindings = bindings.data();
    check(vkCreateDescriptorSetLayout(device_, &dl, nullptr, &p->set_layout), "vkCreateDescriptorSetLayout");

    p->push_range_bytes = p->iface.push_constant_bytes;
    if (p->push_range_bytes > info_.max_push_constants_bytes)
        throw Error("shader " + shader + " needs " + std::to_string(p->push_range_bytes) +
                    " bytes of push constants; the device allows " + std::to_string(info_.max_push_constants_bytes));
    VkPushConstantRange range{VK_SHADER_STAGE_COMPUTE_BIT, 0, p->push_range_bytes};
    VkPipelineLayoutCreateInfo pl{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
    pl.setLayoutCount = 1;
    pl.pSetLayouts = &p->set_layout;
    pl.pushConstantRangeCount = p->push_range_bytes ? 1 : 0;
    pl.pPushConstantRanges = &range;
    check(vkCreatePipelineLayout(device_, &pl, nullptr, &p->layout), "vkCreatePipelineLayout");

    VkSpecializationInfo si{static_cast<uint32_t>(entries.size()), entries.data(), values.size() * 4, values.data()};
    VkComputePipelineCreateInfo ci{VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
    ci.stage = {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO};
    ci.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
    ci.stage.module = module;
    ci.stage.pName = "main";
    ci.stage.pSpecializationInfo = entries.empty() ? nullptr : &si;
    ci.layout = p->layout;
    check(vkCreateComputePipelines(device_, cache_, 1, &ci, nullptr, &p->pipeline), "vkCreateComputePipelines");

    return *(pipelines_[key] = std::move(p));
}

} // namespace vkcolor::gpu
