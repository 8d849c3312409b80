#include "vkcolor/gpu/instance.hpp"

#include <atomic>
#include <cstdio>
#include <cstring>

#include "vkcolor/gpu/error.hpp"

namespace vkcolor::gpu {

namespace {

bool has_layer(const char* name) {
    uint32_t n = 0;
    vkEnumerateInstanceLayerProperties(&n, nullptr);
    std::vector<VkLayerProperties> layers(n);
    vkEnumerateInstanceLayerProperties(&n, layers.data());
    for (auto& l : layers)
        if (std::strcmp(l.layerName, name) == 0) return true;
    return false;
}

bool has_extension(const char* layer, const char* name) {
    uint32_t n = 0;
    vkEnumerateInstanceExtensionProperties(layer, &n, nullptr);
    std::vector<VkExtensionProperties> exts(n);
    vkEnumerateInstanceExtensionProperties(layer, &n, exts.data());
    for (auto& e : exts)
        if (std::strcmp(e.extensionName, name) == 0) return true;
    return false;
}

constexpr const char* k_validation_layer = "VK_LAYER_KHRONOS_validation";
std::atomic<size_t> g_process_messages{0};

} // namespace

Instance::Instance(const InstanceOptions& options) : print_validation_(options.print_validation) {
    uint32_t loader_version = VK_API_VERSION_1_0;
    vkEnumerateInstanceVersion(&loader_version);
    if (loader_version < VK_API_VERSION_1_1)
        throw Error("the Vulkan loader supports only Vulkan 1.0; vkcolor needs 1.1 or newer");
    // Ask for the newest version we use features of; drivers clamp to what they support.
    api_version_ = loader_version < VK_API_VERSION_1_3 ? loader_version : VK_API_VERSION_1_3;

    std::vector<const char*> layers;
    std::vector<const char*> extensions;
    VkInstanceCreateFlags flags = 0;

    if (options.validation) {
        if (!has_layer(k_validation_layer)) {
            validation_reason_ = "VK_LAYER_KHRONOS_validation is not installed (Debian: vulkan-validationlayers)";
        } else if (!has_extension(nullptr, VK_EXT_DEBUG_UTILS_EXTENSION_NAME) &&
                   !has_extension(k_validation_layer, VK_EXT_DEBUG_UTILS_EXTENSION_NAME)) {
            validation_reason_ = "VK_EXT_debug_utils is unavailable, so messages cannot be captured";
        } else {
            layers.push_back(k_validation_layer);
            extensions.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
            validation_enabled_ = true;
        }
    }
    // MoltenVK and other non-conformant drivers are listed only with portability enumeration.
    if (has_extension(nullptr, VK_KHR_PORTABILITY_ENUMERATION_EXTENSION_NAME)) {
        extensions.push_back(VK_KHR_PORTABILITY_ENUMERATION_EXTENSION_NAME);
        flags |= VK_INSTANCE_CREATE_ENUMERATE_PORTABILITY_BIT_KHR;
    }

    VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
    app.pApplicationName = "vkcolor";
    app.applicationVersion = VK_MAKE_VERSION(0, 1, 0);
    app.pEngineName = "vkcolor";
    app.apiVersion = api_version_;

    VkValidationFeatureEnableEXT enables[] = {VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT};
    VkValidationFeaturesEXT features{VK_STRUCTURE_TYPE_VALIDATION_FEATURES_EXT};
    features.enabledValidationFeatureCount = 1;
    features.pEnabledValidationFeatures = enables;

    VkDebugUtilsMessengerCreateInfoEXT messenger_info{VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT};
    messenger_info.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT |
                                     VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
    messenger_info.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                                 VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
    messenger_info.pfnUserCallback = &Instance::on_message;
    messenger_info.pUserData = this;
    // Chained into instance creation too, so messages from vkCreateInstance itself are caught.
    features.pNext = &messenger_info;

    VkInstanceCreateInfo info{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
    info.flags = flags;
    info.pApplicationInfo = &app;
    info.enabledLayerCount = static_cast<uint32_t>(layers.size());
    info.ppEnabledLayerNames = layers.data();
    info.enabledExtensionCount = static_cast<uint32_t>(extensions.size());
    info.ppEnabledExtensionNames = extensions.data();
    if (validation_enabled_) info.pNext = &features;

    VkResult r = vkCreateInstance(&info, nullptr, &instance_);
    if (r == VK_ERROR_INCOMPATIBLE_DRIVER)
        throw Error("no Vulkan driver found: install your GPU vendor's Vulkan driver, or Mesa's "
                    "lavapipe (Debian: mesa-vulkan-drivers) to run on the CPU");
    check(r, "vkCreateInstance");

    if (validation_enabled_) {
        auto create = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
            vkGetInstanceProcAddr(instance_, "vkCreateDebugUtilsMessengerEXT"));
        if (!create) throw Error("vkCreateDebugUtilsMessengerEXT is missing although VK_EXT_debug_utils is enabled");
        check(create(instance_, &messenger_info, nullptr, &messenger_), "vkCreateDebugUtilsMessengerEXT");
    }
}

Instance::~Instance() {
    if (messenger_) {
        auto destroy = reinterpret_cast<PFN_vkDestroyDebugUtilsMessengerEXT>(
            vkGetInstanceProcAddr(instance_, "vkDestroyDebugUtilsMessengerEXT"));
        if (destroy) destroy(instance_, messenger_, nullptr);
    }
    if (instance_) vkDestroyInstance(instance_, nullptr);
}

VKAPI_ATTR VkBool32 VKAPI_CALL Instance::on_message(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                   VkDebugUtilsMessageTypeFlagsEXT,
                                                   const VkDebugUtilsMessengerCallbackDataEXT* data,
                                                   void* user) {
    auto* self = static_cast<Instance*>(user);
    std::string text = (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) ? "error: " : "warning: ";
    text += data && data->pMessage ? data->pMessage : "(no message)";
    if (self->print_validation_) std::fprintf(stderr, "vkcolor: validation %s\n", text.c_str());
    ++g_process_messages;
    std::lock_guard lock(self->mutex_);
    self->messages_.push_back(std::move(text));
    return VK_FALSE;
}

std::vector<std::string> Instance::validation_messages() const {
    std::lock_guard lock(mutex_);
    return messages_;
}

size_t Instance::validation_message_count() const {
    std::lock_guard lock(mutex_);
    return messages_.size();
}

void Instance::clear_validation_messages() {
    std::lock_guard lock(mutex_);
    messages_.clear();
}

} // namespace vkcolor::gpu

namespace vkcolor::gpu {
size_t Instance::process_validation_message_count() { return g_process_messages.load(); }
} // namespace vkcolor::gpu
