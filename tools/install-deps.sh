#!/usr/bin/env bash
# Installs what building, running and testing vkcolor needs on Debian 12 (Ubuntu 22.04+ too).
# Idempotent: when everything is present it changes nothing. Runs as root or through sudo.
#
#   tools/install-deps.sh                        Debian 12's own lavapipe (Mesa 22.3), as CI has
#   tools/install-deps.sh --lavapipe-backports   lavapipe from bookworm-backports (Mesa 25.0.7):
#                                                about 1.2x vkcolor's speed on it (README, Speed)
set -euo pipefail

backports=0
for arg in "$@"; do
  case "$arg" in
    --lavapipe-backports) backports=1 ;;
    *) echo "install-deps: unknown option '$arg' (known: --lavapipe-backports)" >&2; exit 2 ;;
  esac
done

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
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi

if [ "$backports" -eq 1 ]; then
  # Backports are pinned below the release by apt (priority 100): only what is asked for with
  # -t bookworm-backports comes from there, with the newer libdrm it needs.
  if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo "install-deps: adding bookworm-backports to /etc/apt/sources.list.d"
    printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' |
      $sudo tee /etc/apt/sources.list.d/bookworm-backports.sources >/dev/null
  fi
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends -t bookworm-backports mesa-vulkan-drivers
  echo "install-deps: lavapipe is now $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers) ('vkcolor devices' shows the driver)"
fi
