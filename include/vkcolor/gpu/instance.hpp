#pragma once
// The Vulkan instance, with the Khronos validation layer (synchronization validation included)
// when asked for. Every validation message is recorded so that tests can fail on any of them.
#include <cstddef>
#include <mutex>
#include <string>
#include <vector>
#include <vulkan/vulkan.h>

namespace vkcolor::gpu {

struct InstanceOptions {
    bool validation = false;          // enable VK_LAYER_KHRONOS_validation + sync validation
    bool print_validation = true;     // also print each message to stderr as it arrives
};

class Instance {
public:
    explicit Instance(const InstanceOptions& options = {});
    ~Instance();
    Instance(const Instance&) = delete;
    Instance& operator=(const Instance&) = delete;

    VkInstance handle() const { return instance_; }
    uint32_t api_version() const { return api_version_; }

    // Whether validation was asked for and is on; if asked for but unavailable, why not.
    bool validation_enabled() const { return validation_enabled_; }
    const std::string& validation_unavailable_reason() const { return validation_reason_; }

    // Warnings and errors reported by the validation layer since the last clear.
    std::vector<std::string> validation_messages() const;
    size_t validation_message_count() const;
    void clear_validation_messages();

    // Messages reported by every instance of this process so far, cleared or not, including
    // those from destroying devices and instances (checked by the test runner at exit).
    static size_t process_validation_message_count();

private:
    static VKAPI_ATTR VkBool32 VKAPI_CALL on_message(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                     VkDebugUtilsMessageTypeFlagsEXT types,
                                                     const VkDebugUtilsMessengerCallbackDataEXT* data,
                                                     void* self);

    VkInstance instance_ = VK_NULL_HANDLE;
    VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
    uint32_t api_version_ = VK_API_VERSION_1_1;
    bool validation_enabled_ = false;
    bool print_validation_ = true;
    std::string validation_reason_;
    mutable std::mutex mutex_;
    std::vector<std::string> messages_;
};

} // namespace vkcolor::gpu
