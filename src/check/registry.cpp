// The list of every op check, shared by ctest (tests/test_OP.cpp) and `vkcolor selftest`.
#include "vkcolor/check/op_checks.hpp"

namespace vkcolor::check {

const std::vector<OpCheck>& all_op_checks() {
    static const std::vector<OpCheck> checks = {
        relu_check(),
        channel_sum_check(),
        add_check(),
        mse_loss_check(),
        cross_entropy_check(),
        adam_check(),
        maxpool2d_check(),
        upsample_nearest2d_check(),
        concat_check(),
        batchnorm2d_check(),
        conv2d_check(),
        leaky_relu_check(),
        sigmoid_check(),
        tanh_check(),
        dropout_check(),
        l1_loss_check(),
        linear_check(),
        flatten_check(),
        add_broadcast_check(),
        mul_broadcast_check(),
        sgd_check(),
        adamw_check(),
        avgpool2d_check(),
        upsample_bilinear2d_check(),
        maxunpool2d_check(),
        conv_transpose2d_check(),
    };
    return checks;
}

} // namespace vkcolor::check
