# Compiles GLSL compute shaders to SPIR-V with glslangValidator and embeds the words in one
# generated C++ file, so the vkcolor binary needs no shader files at run time.
# A shader that fails to compile fails the build with glslang's own message.

set(VKCOLOR_SPIRV_TARGET_ENV vulkan1.1 CACHE STRING "glslang --target-env for compute shaders")

function(vkcolor_embed_shaders OUT_VAR)
  set(spv_files "")
  set(shader_dir ${CMAKE_BINARY_DIR}/shaders)
  file(MAKE_DIRECTORY ${shader_dir})
  foreach(src IN LISTS ARGN)
    get_filename_component(name ${src} NAME_WE)
    set(spv ${shader_dir}/${name}.spv)
    add_custom_command(
      OUTPUT ${spv}
      COMMAND ${GLSLANG_VALIDATOR} --quiet --target-env ${VKCOLOR_SPIRV_TARGET_ENV}
              -I${CMAKE_SOURCE_DIR}/shaders --depfile ${spv}.d -o ${spv} ${src}
      DEPENDS ${src}
      DEPFILE ${spv}.d
      COMMENT "glslang ${name}.comp"
      VERBATIM)
    list(APPEND spv_files ${spv})
  endforeach()
  set(out ${CMAKE_BINARY_DIR}/embedded_shaders.cpp)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} "-DSPV_FILES=${spv_files}"
            -P ${CMAKE_SOURCE_DIR}/cmake/WriteEmbeddedShaders.cmake
    DEPENDS ${spv_files} ${CMAKE_SOURCE_DIR}/cmake/WriteEmbeddedShaders.cmake
    COMMENT "embedding SPIR-V"
    VERBATIM)
  set(${OUT_VAR} ${out} PARENT_SCOPE)
endfunction()
