#include "vkcolor/gpu/recording.hpp"

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/gpu/error.hpp"

namespace vkcolor::gpu {

namespace {
constexpr uint32_t k_queries_per_pool = 128;
constexpr uint32_t k_sets_per_pool = 256;
constexpr uint32_t k_buffers_per_pool = k_sets_per_pool * 8;

constexpr VkPipelineStageFlags k_all_work = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
constexpr VkAccessFlags k_all_writes = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
constexpr VkAccessFlags k_all_access = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT |
                                       VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
} // namespace

Recording::Recording(Context& ctx) : ctx_(ctx) {
    VkCommandBufferAllocateInfo ai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    ai.commandPool = ctx.command_pool();
    ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    ai.commandBufferCount = 1;
    check(vkAllocateCommandBuffers(ctx.device(), &ai, &cmd_), "vkAllocateCommandBuffers");
    VkFenceCreateInfo fi{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    check(vkCreateFence(ctx.device(), &fi, nullptr, &fence_), "vkCreateFence");
    VkCommandBufferBeginInfo bi{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    check(vkBeginCommandBuffer(cmd_, &bi), "vkBeginCommandBuffer");
    timestamps_ = ctx.info().timestamp_valid_bits > 0;
    // Order this recording after everything submitted before it (including earlier replays of
    // itself): the GPU work of a previous submission is not otherwise ordered with this one.
    VkMemoryBarrier mb{VK_STRUCTURE_TYPE_MEMORY_BARRIER, nullptr, k_all_writes, k_all_access};
    vkCmdPipelineBarrier(cmd_, k_all_work, k_all_work, 0, 1, &mb, 0, nullptr, 0, nullptr);
}

Recording::~Recording() {
    VkDevice dev = ctx_.device();
    if (in_flight_) vkWaitForFences(dev, 1, &fence_, VK_TRUE, UINT64_MAX);
    for (auto p : pools_) vkDestroyDescriptorPool(dev, p, nullptr);
    for (auto v : views_) vkDestroyBufferView(dev, v, nullptr);
    for (auto q : query_pools_) vkDestroyQueryPool(dev, q, nullptr);
    if (fence_) vkDestroyFence(dev, fence_, nullptr);
    if (cmd_) vkFreeCommandBuffers(dev, ctx_.command_pool(), 1, &cmd_);
}

void Recording::require_open() const {
    if (finished_) throw Error("internal: recording into a finished command buffer");
}

void Recording::barrier(VkPipelineStageFlags src, VkAccessFlags src_access, VkPipelineStageFlags dst,
                        VkAccessFlags dst_access) {
    VkMemoryBarrier mb{VK_STRUCTURE_TYPE_MEMORY_BARRIER, nullptr, src_access, dst_access};
    vkCmdPipelineBarrier(cmd_, src, dst, 0, 1, &mb, 0, nullptr, 0, nullptr);
}

void Recording::track(Stage stage, const std::vector<VkBuffer>& reads, const std::vector<VkBuffer>& writes) {
    bool hazard = false;
    for (VkBuffer b : reads) hazard |= written_.count(b) > 0;                         // RAW
    for (VkBuffer b : writes) hazard |= written_.count(b) > 0 || read_.count(b) > 0;  // WAW, WAR
    if (hazard) {
        // The barrier makes every earlier write visible to both compute and transfer work, not
        // only to the stage of the command at hand: tracking restarts from nothing after it, so a
        // later copy of a buffer written before it must be covered too.
        const VkPipelineStageFlags dst = k_all_work;
        const VkAccessFlags dst_access = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT |
                                         VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
        // Write access bits must match the stages they come from (compute, transfer or both).
        VkAccessFlags src_access = 0;
        if (pending_stages_ & VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT) src_access |= VK_ACCESS_SHADER_WRITE_BIT;
        if (pending_stages_ & VK_PIPELINE_STAGE_TRANSFER_BIT) src_access |= VK_ACCESS_TRANSFER_WRITE_BIT;
        barrier(pending_stages_, src_access, dst, dst_access);
        ++barriers_;
        written_.clear();
        read_.clear();
        pending_stages_ = 0;
    }
    read_.insert(reads.begin(), reads.end());
    written_.insert(writes.begin(), writes.end());
    for (VkBuffer b : writes) ++writes_[b];
    pending_stages_ |= stage == Stage::Compute ? VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT : VK_PIPELINE_STAGE_TRANSFER_BIT;
}

VkDescriptorSet Recording::allocate_set(VkDescriptorSetLayout layout) {
    VkDescriptorSetAllocateInfo ai{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
    ai.descriptorSetCount = 1;
    ai.pSetLayouts = &layout;
    VkDescriptorSet set = VK_NULL_HANDLE;
    if (!pools_.empty()) {
        ai.descriptorPool = pools_.back();
        VkResult r = vkAllocateDescriptorSets(ctx_.device(), &ai, &set);
        if (r == VK_SUCCESS) return set;
        if (r != VK_ERROR_OUT_OF_POOL_MEMORY && r != VK_ERROR_FRAGMENTED_POOL) check(r, "vkAllocateDescriptorSets");
    }
    VkDescriptorPoolSize sizes[] = {{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, k_buffers_per_pool},
                                    {VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER, k_buffers_per_pool}};
    VkDescriptorPoolCreateInfo pi{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    pi.maxSets = k_sets_per_pool;
    pi.poolSizeCount = 2;
    pi.pPoolSizes = sizes;
    VkDescriptorPool pool;
    check(vkCreateDescriptorPool(ctx_.device(), &pi, nullptr, &pool), "vkCreateDescriptorPool");
    pools_.push_back(pool);
    ai.descriptorPool = pool;
    check(vkAllocateDescriptorSets(ctx_.device(), &ai, &set), "vkAllocateDescriptorSets");
    return set;
}

uint32_t Recording::groups_1d(const Pipeline& p, uint64_t items) const {
    return ctx_.groups_for(items, p.local_size[0]);
}

std::array<uint32_t, 3> Recording::flat_groups(const Pipeline& p, uint64_t items, uint32_t groups_y) const {
    uint64_t groups = std::max<uint64_t>((items + p.local_size[0] - 1) / p.local_size[0], 1);
    uint64_t x = std::min<uint64_t>(groups, ctx_.info().max_workgroup_count[0]);
    uint64_t z = (groups + x - 1) / x;
    if (z > ctx_.info().max_workgroup_count[2])
        throw Error("internal: shader " + p.name + ": " + std::to_string(items) + " items exceed the device's workgroup grid");
    return {static_cast<uint32_t>(x), groups_y, static_cast<uint32_t>(z)};
}

void Recording::dispatch(const Pipeline& p, std::initializer_list<BufferRange> buffers, const void* push,
                         size_t push_bytes, std::array<uint32_t, 3> groups) {
    require_open();
    const auto& iface = p.iface;
    if (buffers.size() != iface.bindings.size())
        throw Error("internal: shader " + p.name + " has " + std::to_string(iface.bindings.size()) +
                    " bindings but the dispatch gave " + std::to_string(buffers.size()) + " buffers");
    if (push_bytes != iface.push_constant_bytes && iface.push_constant_bytes != 0)
        throw Error("internal: shader " + p.name + " takes " + std::to_string(iface.push_constant_bytes) +
                    " bytes of push constants but the dispatch gave " + std::to_string(push_bytes));
    const auto& lim = ctx_.info().max_workgroup_count;
    for (int d = 0; d < 3; ++d)
        if (groups[d] == 0 || groups[d] > lim[d])
            throw Error("internal: shader " + p.name + " dispatched with " + std::to_string(groups[d]) +
                        " workgroups in dimension " + std::to_string(d) + " (device limit " + std::to_string(lim[d]) + ")");

    std::vector<VkDescriptorBufferInfo> infos;
    std::vector<VkBufferView> views(buffers.size(), VK_NULL_HANDLE);
    std::vector<VkBuffer> reads, writes;
    size_t i = 0;
    for (const BufferRange& r : buffers) {
        if (!r.buffer || !r.buffer->valid()) throw Error("internal: shader " + p.name + " binding " + std::to_string(i) + " is an empty buffer");
        if (iface.texel[i]) {
            views[i] = texel_view(p, i, r);
        } else if (r.offset % ctx_.info().min_storage_buffer_offset_alignment != 0)
            throw Error("internal: shader " + p.name + " binding " + std::to_string(i) + " offset " +
                        std::to_string(r.offset) + " is not aligned to minStorageBufferOffsetAlignment");
        if (r.size != VK_WHOLE_SIZE && r.offset + r.size > r.buffer->size())
            throw Error("internal: shader " + p.name + " binding " + std::to_string(i) + " range overruns its buffer");
        infos.push_back({r.buffer->handle(), r.offset, r.size});
        auto a = iface.bindings[i];
        if (a != ShaderInterface::Access::Write) reads.push_back(r.buffer->handle());
        if (a != ShaderInterface::Access::Read) writes.push_back(r.buffer->handle());
        ++i;
    }
    track(Stage::Compute, reads, writes);

    VkDescriptorSet set = allocate_set(p.set_layout);
    std::vector<VkWriteDescriptorSet> w(infos.size());
    for (uint32_t b = 0; b < infos.size(); ++b) {
        w[b] = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
        w[b].dstSet = set;
        w[b].dstBinding = b;
        w[b].descriptorCount = 1;
        w[b].descriptorType = views[b] ? VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER : VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
        w[b].pBufferInfo = &infos[b];
        w[b].pTexelBufferView = &views[b];
    }
    vkUpdateDescriptorSets(ctx_.device(), static_cast<uint32_t>(w.size()), w.data(), 0, nullptr);

    if (shader_regions_) begin_region(k_shader_region_prefix + p.name);
    vkCmdBindPipeline(cmd_, VK_PIPELINE_BIND_POINT_COMPUTE, p.pipeline);
    vkCmdBindDescriptorSets(cmd_, VK_PIPELINE_BIND_POINT_COMPUTE, p.layout, 0, 1, &set, 0, nullptr);
    if (p.push_range_bytes) vkCmdPushConstants(cmd_, p.layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, p.push_range_bytes, push);
    vkCmdDispatch(cmd_, groups[0], groups[1], groups[2]);
    if (shader_regions_) end_region();
    ++dispatches_;
}

VkBufferView Recording::texel_view(const Pipeline& p, size_t binding, const BufferRange& r) {
    const auto& info = ctx_.info();
    auto fail = [&](const std::string& why) {
        return Error("internal: shader " + p.name + " binding " + std::to_string(binding) + ": " + why);
    };
    // A whole buffer includes the padding the allocator adds up to a whole texel (its value is
    // undefined: shaders must select, not multiply, it away).
    size_t whole = (r.buffer->size() + k_texel_bytes - 1) / k_texel_bytes * k_texel_bytes;
    size_t bytes = (r.size == VK_WHOLE_SIZE ? whole - r.offset : r.size) / k_texel_bytes * k_texel_bytes;
    if (bytes == 0) throw fail("a texel buffer of less than one RGBA32F texel");
    if (r.offset % info.min_texel_buffer_offset_alignment != 0)
        throw fail("offset " + std::to_string(r.offset) + " is not aligned to minTexelBufferOffsetAlignment");
    if (bytes / k_texel_bytes > info.max_texel_buffer_elements)
        throw fail(std::to_string(bytes / k_texel_bytes) + " texels exceed this device's maxTexelBufferElements (" +
                   std::to_string(info.max_texel_buffer_elements) + ")");
    VkBufferViewCreateInfo vi{VK_STRUCTURE_TYPE_BUFFER_VIEW_CREATE_INFO};
    vi.buffer = r.buffer->handle();
    vi.format = VK_FORMAT_R32G32B32A32_SFLOAT;
    vi.offset = r.offset;
    vi.range = bytes;
    VkBufferView view = VK_NULL_HANDLE;
    check(vkCreateBufferView(ctx_.device(), &vi, nullptr, &view), "vkCreateBufferView");
    views_.push_back(view);
    return view;
}

void Recording::copy(const Buffer& src, const Buffer& dst, size_t bytes, size_t src_offset, size_t dst_offset) {
    require_open();
    if (src_offset + bytes > src.size() || dst_offset + bytes > dst.size())
        throw Error("internal: a buffer copy of " + std::to_string(bytes) + " bytes overruns a buffer");
    if (bytes == 0) return;
    track(Stage::Transfer, {src.handle()}, {dst.handle()});
    VkBufferCopy region{src_offset, dst_offset, bytes};
    vkCmdCopyBuffer(cmd_, src.handle(), dst.handle(), 1, &region);
}

void Recording::fill(const Buffer& dst, uint32_t word) {
    require_open();
    track(Stage::Transfer, {}, {dst.handle()});
    vkCmdFillBuffer(cmd_, dst.handle(), 0, VK_WHOLE_SIZE, word);
}

uint64_t Recording::writes_to(VkBuffer b) const {
    auto it = writes_.find(b);
    return it == writes_.end() ? 0 : it->second;
}

const Buffer* Recording::find_derived(const Buffer& source, const std::string& key) const {
    auto it = derived_.find({source.handle(), key});
    if (it == derived_.end()) return nullptr;
    const Derived& d = it->second;
    bool fresh = writes_to(source.handle()) == d.source_writes && writes_to(d.buffer->handle()) == d.own_writes;
    return fresh ? d.buffer : nullptr;
}

void Recording::remember_derived(const Buffer& source, const std::string& key, const Buffer& derived) {
    require_open();
    derived_[{source.handle(), key}] = {&derived, writes_to(source.handle()), writes_to(derived.handle())};
}

const Buffer& Recording::scratch(size_t bytes) {
    require_open();
    scratch_.push_back(ctx_.create_buffer(bytes));
    return scratch_.back();
}

void Recording::begin_region(const std::string& name) {
    require_open();
    if (!timestamps_) return;
    if (queries_used_ % k_queries_per_pool == 0) {
        VkQueryPoolCreateInfo qi{VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO};
        qi.queryType = VK_QUERY_TYPE_TIMESTAMP;
        qi.queryCount = k_queries_per_pool;
        VkQueryPool pool;
        check(vkCreateQueryPool(ctx_.device(), &qi, nullptr, &pool), "vkCreateQueryPool");
        query_pools_.push_back(pool);
    }
    // Regions take two queries each, allocated together so both are in one pool.
    uint32_t q = queries_used_;
    queries_used_ += 2;
    VkQueryPool pool = query_pools_[q / k_queries_per_pool];
    vkCmdResetQueryPool(cmd_, pool, q % k_queries_per_pool, 2);
    vkCmdWriteTimestamp(cmd_, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, pool, q % k_queries_per_pool);
    regions_.push_back({name, q, q + 1});
    open_regions_.push_back(regions_.size() - 1);
}

void Recording::end_region() {
    require_open();
    if (!timestamps_) return;
    if (open_regions_.empty()) throw Error("internal: end_region() without begin_region()");
    const Region& r = regions_[open_regions_.back()];
    open_regions_.pop_back();
    vkCmdWriteTimestamp(cmd_, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, query_pools_[r.end / k_queries_per_pool],
                        r.end % k_queries_per_pool);
}

void Recording::finish() {
    require_open();
    if (!open_regions_.empty()) throw Error("internal: region '" + regions_[open_regions_.back()].name + "' was not ended");
    // Make every result visible to the host once the fence has signalled.
    barrier(k_all_work, k_all_writes, VK_PIPELINE_STAGE_HOST_BIT, VK_ACCESS_HOST_READ_BIT);
    check(vkEndCommandBuffer(cmd_), "vkEndCommandBuffer");
    finished_ = true;
}

std::vector<RegionTime> Recording::region_times() const {
    std::vector<RegionTime> out;
    if (!timestamps_ || regions_.empty()) return out;
    if (in_flight_) throw Error("internal: region_times() before the submission completed");
    const uint32_t bits = ctx_.info().timestamp_valid_bits;
    const uint64_t mask = bits >= 64 ? ~0ull : ((1ull << bits) - 1);
    auto read = [&](uint32_t q) {
        uint64_t v = 0;
        check(vkGetQueryPoolResults(ctx_.device(), query_pools_[q / k_queries_per_pool], q % k_queries_per_pool, 1,
                                    sizeof v, &v, sizeof v, VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT),
              "vkGetQueryPoolResults");
        return v & mask;
    };
    for (const Region& r : regions_) {
        uint64_t ticks = (read(r.end) - read(r.begin)) & mask;
        out.push_back({r.name, ticks * ctx_.info().timestamp_period_ns * 1e-6});
    }
    return out;
}

} // namespace vkcolor::gpu
