#pragma once
// A graph node's settings as the layer functions take them (shared by both backends).
#include "vkcolor/layers/batchnorm2d.hpp"
#include "vkcolor/layers/conv2d.hpp"
#include "vkcolor/layers/conv_transpose2d.hpp"
#include "vkcolor/layers/dropout.hpp"
#include "vkcolor/layers/linear.hpp"
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

inline layers::ConvTranspose2dParams conv_transpose2d_params(const Node& n, uint32_t in_channels) {
    layers::ConvTranspose2dParams p;
    p.in_channels = in_channels;
    p.out_channels = n.out_channels;
    p.kernel = n.kernel;
    p.stride = n.stride;
    p.padding = n.padding;
    p.output_padding = n.output_padding;
    p.bias = n.bias;
    return p;
}

inline layers::LinearParams linear_params(const Node& n, uint32_t in_features) { return {in_features, n.out_channels, n.bias}; }

// A dropout node's mask seed is its position in the graph, so two dropout layers differ.
inline layers::DropoutParams dropout_params(const Graph& g, const Node& n, bool training) {
    uint32_t index = 0;
    while (&g.nodes[index] != &n) ++index;
    return {n.p, index, training};
}

} // namespace vkcolor::model
