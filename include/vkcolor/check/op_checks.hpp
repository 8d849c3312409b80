#pragma once
// One function per op, each defined beside its peers in src/check/<op>_check.cpp and listed in
// src/check/registry.cpp.
#include "vkcolor/check/harness.hpp"

namespace vkcolor::check {

OpCheck relu_check();
OpCheck channel_sum_check();
OpCheck conv2d_check();

} // namespace vkcolor::check
