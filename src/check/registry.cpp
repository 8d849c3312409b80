// The list of every op check, shared by ctest (tests/test_ops.cpp) and `vkcolor selftest`.
#include "vkcolor/check/op_checks.hpp"

namespace vkcolor::check {

const std::vector<OpCheck>& all_op_checks() {
    static const std::vector<OpCheck> checks = {
        relu_check(),
        channel_sum_check(),
        conv2d_check(),
    };
    return checks;
}

} // namespace vkcolor::check
