#pragma once
// One function per op, each defined beside its peers in src/check/<op>_check.cpp and listed in
// src/check/registry.cpp.
#include "vkcolor/check/harness.hpp"

namespace vkcolor::check {

OpCheck relu_check();
OpCheck channel_sum_check();
OpCheck add_check();
OpCheck mse_loss_check();
OpCheck cross_entropy_check();
OpCheck adam_check();
OpCheck maxpool2d_check();
OpCheck upsample_nearest2d_check();
OpCheck concat_check();
OpCheck batchnorm2d_check();
OpCheck conv2d_check();
OpCheck leaky_relu_check();
OpCheck sigmoid_check();
OpCheck tanh_check();
OpCheck dropout_check();
OpCheck l1_loss_check();
OpCheck linear_check();
OpCheck flatten_check();
OpCheck add_broadcast_check();
OpCheck mul_broadcast_check();
OpCheck sgd_check();
OpCheck adamw_check();
OpCheck avgpool2d_check();
OpCheck upsample_bilinear2d_check();
OpCheck maxunpool2d_check();
OpCheck conv_transpose2d_check();

} // namespace vkcolor::check
