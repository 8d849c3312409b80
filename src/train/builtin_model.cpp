// The model embedded at build time (CMakeLists.txt: VKCOLOR_BUILTIN_MODEL, written out by
// cmake/EmbedFile.cmake), decoded with the same checks as any checkpoint file.
#include <cstddef>
#include <span>

#include "vkcolor/train/checkpoint.hpp"

namespace vkcolor::train {

namespace detail {
extern const unsigned char k_builtin_model_bytes[];
extern const std::size_t k_builtin_model_bytes_size;
} // namespace detail

const char* const k_builtin_model_file = VKCOLOR_BUILTIN_MODEL_NAME;

Checkpoint builtin_checkpoint() {
    const std::string source = "the built-in model (assets/" VKCOLOR_BUILTIN_MODEL_NAME ")";
    std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(detail::k_builtin_model_bytes),
                                   detail::k_builtin_model_bytes_size);
    return decode_checkpoint(io::decode_safetensors(bytes, source), source);
}

} // namespace vkcolor::train
