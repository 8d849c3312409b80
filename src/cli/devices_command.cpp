// `vkcolor devices`: every Vulkan device, its limits, and which one vkcolor would use.
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "vkcolor/gpu/device_info.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/gpu/instance.hpp"
#include "vkcolor/layers/conv2d.hpp"

namespace vkcolor::cli {

namespace {

std::string human_bytes(uint64_t b) {
    char buf[32];
    if (b >= (1ull << 30)) std::snprintf(buf, sizeof buf, "%.1f GiB", b / double(1ull << 30));
    else if (b >= (1ull << 20)) std::snprintf(buf, sizeof buf, "%.0f MiB", b / double(1ull << 20));
    else std::snprintf(buf, sizeof buf, "%.0f KiB", b / 1024.0);
    return buf;
}

std::string subgroup_string(const gpu::DeviceInfo& d) {
    if (d.min_subgroup_size == d.max_subgroup_size) return std::to_string(d.subgroup_size);
    return std::to_string(d.subgroup_size) + " (" + std::to_string(d.min_subgroup_size) + "-" +
           std::to_string(d.max_subgroup_size) + ")";
}

std::optional<std::string> forced_conv(const GlobalOptions& global) {
    return global.conv.empty() ? std::nullopt : std::optional<std::string>(global.conv);
}

void print_table(const std::vector<gpu::DeviceInfo>& devices, const gpu::DeviceChoice* choice,
                 const std::string& choice_error, const GlobalOptions& global) {
    std::vector<std::vector<std::string>> rows = {
        {"", "#", "name", "type", "vendor", "driver", "api", "memory", "subgroup", "shared mem"}};
    for (const auto& d : devices)
        rows.push_back({choice && choice->index == d.index ? "*" : "", std::to_string(d.index), d.name,
                        d.type_name(), d.vendor, d.driver, d.api_string(), human_bytes(d.device_local_bytes),
                        d.usable() ? subgroup_string(d) : "-", human_bytes(d.shared_memory_bytes)});
    std::vector<size_t> width(rows[0].size(), 0);
    for (auto& r : rows)
        for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
    for (auto& r : rows) {
        std::string line;
        for (size_t i = 0; i < r.size(); ++i) {
            line += r[i] + std::string(width[i] - r[i].size(), ' ');
            if (i + 1 < r.size()) line += i == 0 ? "" : "  ";
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        std::printf("%s\n", line.c_str());
    }
    for (const auto& d : devices)
        if (!d.usable()) std::printf("device %u is unusable: it %s\n", d.index, d.unusable_reason.c_str());
    if (choice) {
        std::printf("* default device: %s\n", choice->reason.c_str());
        auto k = layers::conv2d_kernels(devices[choice->index], forced_conv(global));
        std::printf("  convolution kernels: %s (%s)\n", k.variant.c_str(), k.reason.c_str());
    }
    else std::printf("no default device: %s\n", choice_error.c_str());
}

nlohmann::json to_json(const gpu::DeviceInfo& d, bool is_default, const GlobalOptions& global) {
    auto kernels = d.usable() ? layers::conv2d_kernels(d, forced_conv(global)) : layers::Conv2dKernels{};
    return {{"conv_kernels", kernels.variant},
            {"conv_kernels_reason", kernels.reason},{"index", d.index},
            {"name", d.name},
            {"type", d.type_name()},
            {"vendor", d.vendor},
            {"vendor_id", d.vendor_id},
            {"driver", d.driver},
            {"api_version", d.api_string()},
            {"device_local_bytes", d.device_local_bytes},
            {"unified_memory", d.unified_memory},
            {"subgroup_size", d.subgroup_size},
            {"min_subgroup_size", d.min_subgroup_size},
            {"max_subgroup_size", d.max_subgroup_size},
            {"shared_memory_bytes", d.shared_memory_bytes},
            {"max_workgroup_invocations", d.max_workgroup_invocations},
            {"min_storage_buffer_offset_alignment", d.min_storage_buffer_offset_alignment},
            {"max_storage_buffer_range", d.max_storage_buffer_range},
            {"timestamps", d.timestamp_valid_bits > 0},
            {"usable", d.usable()},
            {"unusable_reason", d.unusable_reason},
            {"default", is_default}};
}

} // namespace

void add_devices_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("devices", "list Vulkan devices and mark the one vkcolor uses");
    auto json = std::make_shared<bool>(false);
    cmd->add_flag("--json", *json, "print JSON instead of a table");
    cmd->callback([&global, json] {
        gpu::Instance instance(gpu::InstanceOptions{global.context_options().validation, true});
        auto devices = gpu::enumerate_devices(instance);
        if (devices.empty())
            throw Error("no Vulkan device found: install your GPU vendor's Vulkan driver, or Mesa's "
                        "lavapipe (Debian: mesa-vulkan-drivers) to run on the CPU");
        std::optional<gpu::DeviceChoice> choice;
        std::string choice_error;
        try {
            choice = gpu::choose_device(devices, global.device);
        } catch (const Error& e) {
            // A bad --device is still an error; the table is printed first so the user sees why.
            choice_error = e.what();
        }
        if (*json) {
            nlohmann::json out = nlohmann::json::array();
            for (const auto& d : devices) out.push_back(to_json(d, choice && choice->index == d.index, global));
            std::printf("%s\n", out.dump(2).c_str());
        } else {
            print_table(devices, choice ? &*choice : nullptr, choice_error, global);
        }
        if (!choice) throw Error(choice_error);
    });
}

} // namespace vkcolor::cli
