#pragma once
// The SPIR-V of every shaders/*.comp, compiled at build time and embedded in the binary.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vkcolor::gpu {

namespace detail {
struct EmbeddedShader {
    const char* name;
    const uint32_t* words;
    size_t count;
};
extern const EmbeddedShader k_embedded_shaders[];
extern const size_t k_embedded_shader_count;
} // namespace detail

// The SPIR-V words of shaders/<name>.comp; throws vkcolor::Error if there is no such shader.
std::span<const uint32_t> shader_spirv(std::string_view name);
std::vector<std::string> shader_names();

// What a shader's interface looks like, read from its SPIR-V so that dispatches can be checked
// against it and barriers derived from it.
struct ShaderInterface {
    enum class Access { Read, Write, ReadWrite };
    std::vector<Access> bindings;          // set 0, binding i: a storage buffer, or a texel buffer (Read)
    // texel[i]: binding i is a uniform texel buffer (`samplerBuffer`), bound as RGBA32F: on CPU
    // drivers its texelFetch is a branch-free gather where a storage-buffer load is a loop over
    // the lanes (docs: ../shared/docs/lavapipe-codegen.md).
    std::vector<bool> texel;
    uint32_t push_constant_bytes = 0;      // 0 if none (or of a type we can't size)
    std::vector<uint32_t> spec_ids;        // SpecId of each specialization constant
    std::vector<uint32_t> spec_defaults;   // their default values (as 32-bit words)
    uint32_t local_size[3] = {1, 1, 1};    // from the LocalSize execution mode
};

// Throws vkcolor::Error on SPIR-V this engine doesn't support (other descriptor sets or types).
ShaderInterface reflect(std::string_view name, std::span<const uint32_t> spirv);

} // namespace vkcolor::gpu
