#include "vkcolor/gpu/memory.hpp"

#include <algorithm>
#include <string>

#include "vkcolor/gpu/device_info.hpp"
#include "vkcolor/gpu/error.hpp"

namespace vkcolor::gpu {

namespace {
VkDeviceSize align_up(VkDeviceSize v, VkDeviceSize a) { return (v + a - 1) / a * a; }

std::string mib(VkDeviceSize b) { return std::to_string((b + (1 << 20) - 1) >> 20) + " MiB"; }
} // namespace

// --- Buffer ---------------------------------------------------------------------------------

Buffer::~Buffer() { release(); }

Buffer::Buffer(Buffer&& o) noexcept { *this = std::move(o); }

Buffer& Buffer::operator=(Buffer&& o) noexcept {
    if (this != &o) {
        release();
        owner_ = o.owner_; buffer_ = o.buffer_; size_ = o.size_; mapped_ = o.mapped_;
        block_ = o.block_; offset_ = o.offset_; reserved_ = o.reserved_;
        o.owner_ = nullptr; o.buffer_ = VK_NULL_HANDLE; o.mapped_ = nullptr; o.size_ = 0;
    }
    return *this;
}

void Buffer::release() {
    if (buffer_ && owner_) {
        vkDestroyBuffer(owner_->device_, buffer_, nullptr);
        owner_->give_back(block_, offset_, reserved_);
    }
    buffer_ = VK_NULL_HANDLE;
    owner_ = nullptr;
    mapped_ = nullptr;
}

// --- Allocator ------------------------------------------------------------------------------

Allocator::Allocator(VkDevice device, const DeviceInfo& info, VkDeviceSize block_bytes)
    : device_(device), info_(info), block_bytes_(block_bytes) {
    vkGetPhysicalDeviceMemoryProperties(info.handle, &props_);
}

Allocator::~Allocator() {
    for (auto& b : blocks_)
        if (b.memory) vkFreeMemory(device_, b.memory, nullptr);
}

uint32_t Allocator::pick_type(uint32_t allowed, MemoryKind kind) const {
    const auto DL = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, HV = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT,
               HC = VK_MEMORY_PROPERTY_HOST_COHERENT_BIT, CA = VK_MEMORY_PROPERTY_HOST_CACHED_BIT;
    // Preferences in order; the first memory type with all the flags of a preference wins.
    std::vector<VkMemoryPropertyFlags> prefs;
    switch (kind) {
    case MemoryKind::Device:
        if (info_.unified_memory) prefs = {DL | HV | HC};
        prefs.push_back(DL);
        prefs.push_back(0);
        break;
    case MemoryKind::Upload: prefs = {HV | HC}; break;
    case MemoryKind::Readback: prefs = {HV | HC | CA, HV | HC}; break;
    }
    for (auto want : prefs)
        for (uint32_t t = 0; t < props_.memoryTypeCount; ++t)
            if ((allowed & (1u << t)) && (props_.memoryTypes[t].propertyFlags & want) == want) return t;
    throw Error("the device has no memory type suitable for " +
                std::string(kind == MemoryKind::Device ? "tensors" : "host transfers"));
}

bool Allocator::carve(Block& b, VkDeviceSize size, VkDeviceSize align, VkDeviceSize& offset) {
    for (size_t i = 0; i < b.free.size(); ++i) {
        Range& r = b.free[i];
        VkDeviceSize start = align_up(r.offset, align);
        if (start + size > r.offset + r.size) continue;
        VkDeviceSize end = start + size, r_end = r.offset + r.size;
        offset = start;
        // Split the free range into what is left before and after the allocation.
        std::vector<Range> pieces;
        if (start > r.offset) pieces.push_back({r.offset, start - r.offset});
        if (end < r_end) pieces.push_back({end, r_end - end});
        b.free.erase(b.free.begin() + i);
        b.free.insert(b.free.begin() + i, pieces.begin(), pieces.end());
        return true;
    }
    return false;
}

Buffer Allocator::create_buffer(size_t bytes, MemoryKind kind) {
    if (bytes > info_.max_storage_buffer_range)
        throw Error("a buffer of " + mib(bytes) + " exceeds this device's storage-buffer limit of " +
                    mib(info_.max_storage_buffer_range) + " (use a smaller batch or image)");
    // Vulkan forbids empty buffers; an empty tensor still gets a valid 4-byte buffer.
    // Rounded up to whole RGBA32F texels, so that a texel binding (Recording::dispatch) sees
    // every element of any buffer.
    VkDeviceSize vk_bytes = std::max<VkDeviceSize>(align_up(bytes, 16), 16);

    VkBufferCreateInfo bi{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
    bi.size = vk_bytes;
    bi.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_UNIFORM_TEXEL_BUFFER_BIT |
               VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
               VK_BUFFER_USAGE_TRANSFER_DST_BIT;
    bi.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
    Buffer buf;
    check(vkCreateBuffer(device_, &bi, nullptr, &buf.buffer_), "vkCreateBuffer");
    buf.owner_ = this;   // from here on the destructor cleans up if we throw
    buf.size_ = bytes;

    VkMemoryRequirements req;
    vkGetBufferMemoryRequirements(device_, buf.buffer_, &req);
    // Offsets are also kept storage-buffer aligned so a buffer can be bound at its start.
    VkDeviceSize align = std::max(req.alignment, info_.min_storage_buffer_offset_alignment);
    VkDeviceSize size = align_up(req.size, align);
    uint32_t type = pick_type(req.memoryTypeBits, kind);

    auto bind = [&](uint32_t bi_index, VkDeviceSize offset) {
        Block& b = blocks_[bi_index];
        buf.block_ = bi_index;
        buf.offset_ = offset;
        buf.reserved_ = size;
        ++b.live;
        used_ += size;
        check(vkBindBufferMemory(device_, buf.buffer_, b.memory, offset), "vkBindBufferMemory");
        if (b.mapped) buf.mapped_ = static_cast<char*>(b.mapped) + offset;
    };

    if (size <= block_bytes_ / 4) {
        for (uint32_t i = 0; i < blocks_.size(); ++i) {
            VkDeviceSize offset;
            if (blocks_[i].memory && blocks_[i].type == type && !blocks_[i].dedicated &&
                carve(blocks_[i], size, align, offset)) {
                bind(i, offset);
                return buf;
            }
        }
    }
    // New block: a shared one of block_bytes_, or a dedicated one for a large buffer.
    Block nb;
    nb.type = type;
    nb.dedicated = size > block_bytes_ / 4;
    nb.size = nb.dedicated ? size : block_bytes_;
    VkMemoryAllocateInfo ai{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
    ai.allocationSize = nb.size;
    ai.memoryTypeIndex = type;
    VkResult r = vkAllocateMemory(device_, &ai, nullptr, &nb.memory);
    if (r == VK_ERROR_OUT_OF_DEVICE_MEMORY || r == VK_ERROR_OUT_OF_HOST_MEMORY)
        throw VulkanError("vkAllocateMemory(" + mib(nb.size) + ")", r);
    check(r, "vkAllocateMemory");
    if (props_.memoryTypes[type].propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) {
        r = vkMapMemory(device_, nb.memory, 0, VK_WHOLE_SIZE, 0, &nb.mapped);
        if (r < 0) {
            vkFreeMemory(device_, nb.memory, nullptr);
            check(r, "vkMapMemory");
        }
    }
    nb.free.push_back({0, nb.size});
    // Reuse the slot of a freed block so Buffer::block_ indices stay stable.
    uint32_t slot = 0;
    while (slot < blocks_.size() && blocks_[slot].memory) ++slot;
    if (slot == blocks_.size()) blocks_.push_back(std::move(nb));
    else blocks_[slot] = std::move(nb);
    VkDeviceSize offset = 0;
    carve(blocks_[slot], size, align, offset);
    bind(slot, offset);
    return buf;
}

void Allocator::give_back(uint32_t block, VkDeviceSize offset, VkDeviceSize size) {
    Block& b = blocks_[block];
    used_ -= size;
    auto it = std::lower_bound(b.free.begin(), b.free.end(), offset,
                               [](const Range& r, VkDeviceSize o) { return r.offset < o; });
    it = b.free.insert(it, {offset, size});
    // Coalesce with the following and the preceding free range.
    if (it + 1 != b.free.end() && it->offset + it->size == (it + 1)->offset) {
        it->size += (it + 1)->size;
        b.free.erase(it + 1);
    }
    if (it != b.free.begin() && (it - 1)->offset + (it - 1)->size == it->offset) {
        (it - 1)->size += it->size;
        b.free.erase(it);
    }
    // Dedicated blocks go back to the driver as soon as they are empty; shared ones are kept.
    if (--b.live == 0 && b.dedicated) {
        vkFreeMemory(device_, b.memory, nullptr);
        b = Block{};
    }
}

size_t Allocator::block_count() const {
    size_t n = 0;
    for (auto& b : blocks_) n += b.memory != VK_NULL_HANDLE;
    return n;
}

VkDeviceSize Allocator::allocated_bytes() const {
    VkDeviceSize n = 0;
    for (auto& b : blocks_) n += b.size;
    return n;
}

} // namespace vkcolor::gpu
