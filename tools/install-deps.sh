#!/usr/bin/env bash
# Installs what building, running and testing vkcolor needs on Debian 12 (Ubuntu 22.04+ too).
# Idempotent: when everything is present it changes nothing. Runs as root or through sudo.
set -euo pipefail

packages=(
  build-essential cmake            # g++ 12, CMake 3.25
  libvulkan-dev                    # Vulkan loader and headers
  mesa-vulkan-drivers              # lavapipe: a Vulkan device on any CPU
  vulkan-validationlayers          # the Khronos validation layer the tests run under
  glslang-tools                    # glslangValidator: GLSL -> SPIR-V at build time
  libstb-dev                       # stb_image / stb_image_write
  catch2                           # the test framework (v2)
  libcli11-dev                     # command-line parsing
  nlohmann-json3-dev               # JSON output and checkpoint headers
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
