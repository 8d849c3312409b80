#pragma once
// A command buffer recorded once and submitted many times (a training step is one of these).
//
// The recorder inserts the barriers dispatches need. Each binding's access (read, write or
// both) comes from the shader's own declarations (`readonly` / `writeonly`), so a dispatch
// cannot claim the wrong access. A barrier is recorded before an operation that
//   - reads or writes a buffer written since the last barrier (read-after-write, write-after-write)
//   - writes a buffer read since the last barrier (write-after-read),
// and never between independent operations. Every recording also starts with a barrier
// against the previous submission and ends with one that makes results visible to the host,
// so it can be replayed as often as wanted.
#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <vector>
#include <vulkan/vulkan.h>

#include "vkcolor/gpu/memory.hpp"
#include "vkcolor/gpu/pipeline.hpp"

namespace vkcolor::gpu {

class Context;

constexpr size_t k_texel_bytes = 16;   // one RGBA32F texel of a texel binding

struct RegionTime {
    std::string name;
    double milliseconds = 0;
};

class Recording {
public:
    explicit Recording(Context& ctx);
    ~Recording();
    Recording(const Recording&) = delete;
    Recording& operator=(const Recording&) = delete;

    // Binds buffers[i] to binding i (their count must match the shader's; a texel binding sees
    // the range as RGBA32F texels, k_texel_bytes each), pushes the push
    // constants (their size must match the shader's block), and dispatches groups.
    void dispatch(const Pipeline& p, std::initializer_list<BufferRange> buffers, const void* push,
                  size_t push_bytes, std::array<uint32_t, 3> groups);
    template <class Push>
    void dispatch(const Pipeline& p, std::initializer_list<BufferRange> buffers, const Push& push,
                  std::array<uint32_t, 3> groups) {
        dispatch(p, buffers, &push, sizeof(Push), groups);
    }
    // One-dimensional work of `items` invocations (grid-stride shaders: groups are capped).
    template <class Push>
    void dispatch_1d(const Pipeline& p, std::initializer_list<BufferRange> buffers, const Push& push, uint64_t items) {
        dispatch(p, buffers, &push, sizeof(Push), {groups_1d(p, items), 1, 1});
    }

    // `items` invocations of one item each (shaders use flat_grid.glsl's flat_invocation()),
    // laid out over x and z so that no shader needs a grid-stride loop; `groups_y` along y.
    template <class Push>
    void dispatch_flat(const Pipeline& p, std::initializer_list<BufferRange> buffers, const Push& push, uint64_t items,
                       uint32_t groups_y = 1) {
        dispatch(p, buffers, &push, sizeof(Push), flat_groups(p, items, groups_y));
    }

    void copy(const Buffer& src, const Buffer& dst, size_t bytes, size_t src_offset = 0, size_t dst_offset = 0);
    void fill(const Buffer& dst, uint32_t word);   // every 32-bit word of dst set to `word`

    // GPU timestamps around a region of the recording (nesting allowed). No-ops, reported by
    // timestamps_supported(), on a queue without timestamps.
    void begin_region(const std::string& name);
    void end_region();
    bool timestamps_supported() const { return timestamps_; }
    // With this on, every dispatch recorded afterwards is a region of its own, named
    // k_shader_region_prefix + the shader's name (nested in whatever region is open).
    void set_shader_regions(bool on) { shader_regions_ = on; }
    static constexpr const char* k_shader_region_prefix = "shader ";

    void finish();
    bool finished() const { return finished_; }

    // A temporary device buffer (partial sums and the like) that lives as long as the recording,
    // so replays find it intact. Its contents are undefined at the start of each replay.
    const Buffer& scratch(size_t bytes);

    // Derived buffers: a scratch buffer computed from `source` (a repacked copy, say), named by
    // `key` (what was computed, with every parameter), found again for as long as neither the
    // source nor the derived buffer has been written since. Two passes that need the same
    // derivation (the forward and the weight gradient of a convolution both pack its input)
    // then record it once. Valid on replay too: a replay runs the same commands in the same order.
    const Buffer* find_derived(const Buffer& source, const std::string& key) const;
    void remember_derived(const Buffer& source, const std::string& key, const Buffer& derived);

    // After the submission has completed (Context::wait): the time each region took.
    std::vector<RegionTime> region_times() const;

    size_t dispatch_count() const { return dispatches_; }
    size_t barrier_count() const { return barriers_; }   // barriers between operations
    VkCommandBuffer handle() const { return cmd_; }
    Context& context() const { return ctx_; }

private:
    friend class Context;
    enum class Stage { Compute, Transfer };
    uint32_t groups_1d(const Pipeline& p, uint64_t items) const;
    std::array<uint32_t, 3> flat_groups(const Pipeline& p, uint64_t items, uint32_t groups_y) const;
    void track(Stage stage, const std::vector<VkBuffer>& reads, const std::vector<VkBuffer>& writes);
    void barrier(VkPipelineStageFlags src, VkAccessFlags src_access, VkPipelineStageFlags dst, VkAccessFlags dst_access);
    VkDescriptorSet allocate_set(VkDescriptorSetLayout layout);
    VkBufferView texel_view(const Pipeline& p, size_t binding, const BufferRange& r);
    void require_open() const;

    Context& ctx_;
    VkCommandBuffer cmd_ = VK_NULL_HANDLE;
    VkFence fence_ = VK_NULL_HANDLE;
    bool in_flight_ = false;
    bool finished_ = false;
    std::vector<VkDescriptorPool> pools_;
    std::vector<VkBufferView> views_;   // of texel bindings, alive as long as the recording
    std::deque<Buffer> scratch_;

    // Hazard tracking since the last barrier.
    std::set<VkBuffer> written_, read_;
    // Writes recorded to each buffer so far, and the derived buffers with the write counts of
    // their source and of themselves when they were made.
    std::map<VkBuffer, uint64_t> writes_;
    struct Derived { const Buffer* buffer; uint64_t source_writes, own_writes; };
    std::map<std::pair<VkBuffer, std::string>, Derived> derived_;
    uint64_t writes_to(VkBuffer b) const;
    VkPipelineStageFlags pending_stages_ = 0;
    size_t dispatches_ = 0, barriers_ = 0;

    // Timestamps: pairs of queries; pools of k_queries_per_pool.
    bool timestamps_ = false;
    bool shader_regions_ = false;
    std::vector<VkQueryPool> query_pools_;
    uint32_t queries_used_ = 0;
    struct Region { std::string name; uint32_t begin, end; };
    std::vector<Region> regions_;
    std::vector<size_t> open_regions_;
};

} // namespace vkcolor::gpu
