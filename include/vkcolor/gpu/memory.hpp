#pragma once
// GPU memory: a few large VkDeviceMemory blocks per memory type, sub-allocated with the
// alignment each buffer needs, and RAII buffers that return their range on destruction.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>
#include <vulkan/vulkan.h>

namespace vkcolor::gpu {

struct DeviceInfo;

enum class MemoryKind {
    Device,    // where tensors live: device-local (also host-mapped on unified devices)
    Upload,    // host-visible staging the host writes and the GPU copies from
    Readback,  // host-visible (cached if possible) memory the GPU copies results into
};

class Allocator;

// A storage buffer bound to a sub-range of an allocator block. Move-only.
class Buffer {
public:
    Buffer() = default;
    ~Buffer();
    Buffer(Buffer&& other) noexcept;
    Buffer& operator=(Buffer&& other) noexcept;
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;

    VkBuffer handle() const { return buffer_; }
    size_t size() const { return size_; }                 // bytes asked for
    void* mapped() const { return mapped_; }              // null unless host-visible
    bool valid() const { return buffer_ != VK_NULL_HANDLE; }
    explicit operator bool() const { return valid(); }

private:
    friend class Allocator;
    void release();

    Allocator* owner_ = nullptr;
    VkBuffer buffer_ = VK_NULL_HANDLE;
    size_t size_ = 0;
    void* mapped_ = nullptr;
    uint32_t block_ = 0;        // index into owner's block list
    VkDeviceSize offset_ = 0;   // offset of the sub-allocation inside the block
    VkDeviceSize reserved_ = 0; // bytes reserved there (size rounded up)
};

// A buffer, or a window of one, bound to a shader binding.
struct BufferRange {
    const Buffer* buffer = nullptr;
    size_t offset = 0;
    size_t size = VK_WHOLE_SIZE;
    BufferRange(const Buffer& b) : buffer(&b) {}   // NOLINT: implicit on purpose
    BufferRange(const Buffer& b, size_t off, size_t bytes) : buffer(&b), offset(off), size(bytes) {}
};

class Allocator {
public:
    // Blocks are at least block_bytes; a buffer larger than a quarter of that gets its own block.
    Allocator(VkDevice device, const DeviceInfo& info, VkDeviceSize block_bytes = 64ull << 20);
    ~Allocator();
    Allocator(const Allocator&) = delete;
    Allocator& operator=(const Allocator&) = delete;

    Buffer create_buffer(size_t bytes, MemoryKind kind);

    // Live blocks and bytes, for tests and `vkcolor bench`.
    size_t block_count() const;
    VkDeviceSize allocated_bytes() const;
    VkDeviceSize used_bytes() const { return used_; }

private:
    friend class Buffer;
    struct Range { VkDeviceSize offset, size; };
    struct Block {
        VkDeviceMemory memory = VK_NULL_HANDLE;
        uint32_t type = 0;
        VkDeviceSize size = 0;
        void* mapped = nullptr;
        std::vector<Range> free;   // sorted by offset, coalesced
        size_t live = 0;           // buffers in it
        bool dedicated = false;    // holds one large buffer; freed when it empties
    };

    uint32_t pick_type(uint32_t allowed_types, MemoryKind kind) const;
    bool carve(Block& b, VkDeviceSize size, VkDeviceSize align, VkDeviceSize& offset);
    void give_back(uint32_t block, VkDeviceSize offset, VkDeviceSize size);

    VkDevice device_;
    const DeviceInfo& info_;
    VkPhysicalDeviceMemoryProperties props_{};
    VkDeviceSize block_bytes_;
    VkDeviceSize used_ = 0;
    std::vector<Block> blocks_;
};

} // namespace vkcolor::gpu
