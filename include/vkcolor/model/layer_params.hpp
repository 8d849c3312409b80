#pragma once
// A graph node's settings as the layer functions take them (shared by both backends).
#include "vkcolor/layers/batchnorm2d.hpp"
#include "vkcolor/layers/conv2d.hpp"
#include "vkcolor/model/graph.hpp"

namespace vkcolor::model {

inline layers::Conv2dParams conv2d_params(const Node& n, uint32_t in_channels) {
    layers::Conv2dParams p;
    p.in_channels = in_channels;
    p.out_channels = n.out_channels;
    p.kernel = n.kernel;
    p.stride = n.stride;
    p.padding = n.padding;
    p.dilation = n.dilation;
    p.bias = n.bias;
    return p;
}

inline layers::BatchNorm2dParams batchnorm2d_params(const Node& n) { return {n.eps, n.momentum}; }

} // namespace vkcolor::model
