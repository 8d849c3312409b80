#include "vkcolor/gpu/shaders.hpp"

#include <algorithm>
#include <map>

#include "vkcolor/gpu/error.hpp"

namespace vkcolor::gpu {

std::span<const uint32_t> shader_spirv(std::string_view name) {
    for (size_t i = 0; i < detail::k_embedded_shader_count; ++i)
        if (name == detail::k_embedded_shaders[i].name)
            return {detail::k_embedded_shaders[i].words, detail::k_embedded_shaders[i].count};
    throw Error("no embedded shader named '" + std::string(name) + "'");
}

std::vector<std::string> shader_names() {
    std::vector<std::string> names;
    for (size_t i = 0; i < detail::k_embedded_shader_count; ++i) names.push_back(detail::k_embedded_shaders[i].name);
    return names;
}

namespace {
// SPIR-V opcodes, decorations and storage classes this reflection reads.
enum : uint32_t {
    OpExecutionMode = 16, OpTypeInt = 21, OpTypeFloat = 22, OpTypeVector = 23, OpTypeImage = 25, OpTypeSampledImage = 27,
    OpTypeStruct = 30,
    OpTypePointer = 32, OpSpecConstantTrue = 48, OpSpecConstantFalse = 49, OpSpecConstant = 50,
    OpVariable = 59, OpDecorate = 71, OpMemberDecorate = 72,
    DecSpecId = 1, DecBlock = 2, DecBufferBlock = 3, DecNonWritable = 24, DecNonReadable = 25,
    DecBinding = 33, DecDescriptorSet = 34, DecOffset = 35,
    ModeLocalSize = 17,
    ScUniformConstant = 0, ScUniform = 2, ScPushConstant = 9, ScStorageBuffer = 12,
    DimBuffer = 5,
};
} // namespace

ShaderInterface reflect(std::string_view name, std::span<const uint32_t> spv) {
    auto fail = [&](const std::string& why) { return Error("shader " + std::string(name) + ": " + why); };
    if (spv.size() < 5 || spv[0] != 0x07230203) throw fail("not SPIR-V");

    std::map<uint32_t, uint32_t> binding, set, spec_id, type_bytes;
    std::map<uint32_t, std::vector<uint32_t>> struct_members;
    std::map<uint32_t, std::map<uint32_t, uint32_t>> member_offset;
    std::map<uint32_t, uint32_t> nonwritable_members, nonreadable_members;   // struct -> count
    std::map<uint32_t, bool> var_nonwritable, var_nonreadable, buffer_block;
    std::map<uint32_t, std::pair<uint32_t, uint32_t>> pointer;               // id -> (class, type)
    std::vector<std::pair<uint32_t, uint32_t>> variables;                    // (id, pointer type)
    std::map<uint32_t, uint32_t> spec_value;
    std::map<uint32_t, bool> buffer_image;                                   // image type: Dim Buffer, sampled
    std::map<uint32_t, uint32_t> sampled_image;                              // sampled image -> image type
    ShaderInterface iface;

    for (size_t i = 5; i < spv.size();) {
        uint32_t count = spv[i] >> 16, op = spv[i] & 0xffff;
        if (count == 0 || i + count > spv.size()) throw fail("malformed SPIR-V");
        const uint32_t* w = &spv[i];
        switch (op) {
        case OpExecutionMode:
            if (w[2] == ModeLocalSize) iface.local_size[0] = w[3], iface.local_size[1] = w[4], iface.local_size[2] = w[5];
            break;
        case OpDecorate:
            if (w[2] == DecBinding) binding[w[1]] = w[3];
            if (w[2] == DecDescriptorSet) set[w[1]] = w[3];
            if (w[2] == DecSpecId) spec_id[w[1]] = w[3];
            if (w[2] == DecNonWritable) var_nonwritable[w[1]] = true;
            if (w[2] == DecNonReadable) var_nonreadable[w[1]] = true;
            if (w[2] == DecBufferBlock) buffer_block[w[1]] = true;
            break;
        case OpMemberDecorate:
            if (w[3] == DecNonWritable) ++nonwritable_members[w[1]];
            if (w[3] == DecNonReadable) ++nonreadable_members[w[1]];
            if (w[3] == DecOffset) member_offset[w[1]][w[2]] = w[4];
            break;
        case OpTypeInt: case OpTypeFloat: type_bytes[w[1]] = w[2] / 8; break;
        case OpTypeVector:
            if (type_bytes.count(w[2])) type_bytes[w[1]] = type_bytes[w[2]] * w[3];
            break;
        case OpTypeImage: buffer_image[w[1]] = w[3] == DimBuffer && w[7] == 1; break;
        case OpTypeSampledImage: sampled_image[w[1]] = w[2]; break;
        case OpTypeStruct: struct_members[w[1]].assign(w + 2, w + count); break;
        case OpTypePointer: pointer[w[1]] = {w[2], w[3]}; break;
        case OpVariable: variables.push_back({w[2], w[1]}); break;
        case OpSpecConstant: spec_value[w[2]] = w[3]; break;
        case OpSpecConstantTrue: spec_value[w[2]] = 1; break;
        case OpSpecConstantFalse: spec_value[w[2]] = 0; break;
        }
        i += count;
    }

    std::map<uint32_t, ShaderInterface::Access> found;
    std::map<uint32_t, bool> texel_binding;
    for (auto [id, ptr_type] : variables) {
        auto [sc, type] = pointer[ptr_type];
        if (sc == ScPushConstant) {
            // Size = end of the last member; members are scalars or vectors in our shaders.
            uint32_t bytes = 0;
            const auto& members = struct_members[type];
            for (uint32_t m = 0; m < members.size(); ++m) {
                if (!type_bytes.count(members[m])) { bytes = 0; break; }
                bytes = std::max(bytes, member_offset[type][m] + type_bytes[members[m]]);
            }
            iface.push_constant_bytes = bytes;
            continue;
        }
        bool storage = sc == ScStorageBuffer || (sc == ScUniform && buffer_block[type]);
        if (!binding.count(id)) continue;
        if (sc == ScUniformConstant && sampled_image.count(type) && buffer_image[sampled_image[type]]) {
            if (set[id] != 0) throw fail("only descriptor set 0 is supported");
            if (found.count(binding[id])) throw fail("binding " + std::to_string(binding[id]) + " declared twice");
            found[binding[id]] = ShaderInterface::Access::Read;
            texel_binding[binding[id]] = true;
            continue;
        }
        if (!storage) throw fail("binding " + std::to_string(binding[id]) + " is neither a storage buffer nor a samplerBuffer");
        if (set[id] != 0) throw fail("only descriptor set 0 is supported");
        size_t members = struct_members[type].size();
        bool ro = var_nonwritable[id] || (members && nonwritable_members[type] == members);
        bool wo = var_nonreadable[id] || (members && nonreadable_members[type] == members);
        if (found.count(binding[id])) throw fail("binding " + std::to_string(binding[id]) + " declared twice");
        found[binding[id]] = ro ? ShaderInterface::Access::Read
                           : wo ? ShaderInterface::Access::Write
                                : ShaderInterface::Access::ReadWrite;
    }
    for (uint32_t b = 0; b < found.size(); ++b) {
        if (!found.count(b)) throw fail("bindings must be numbered 0.." + std::to_string(found.size() - 1));
        iface.bindings.push_back(found[b]);
        iface.texel.push_back(texel_binding[b]);
    }
    for (auto [id, sid] : spec_id) {
        iface.spec_ids.push_back(sid);
        iface.spec_defaults.push_back(spec_value.count(id) ? spec_value[id] : 0);
    }
    return iface;
}

} // namespace vkcolor::gpu
