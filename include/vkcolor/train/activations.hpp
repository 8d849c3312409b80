#pragma once
// `vkcolor activations`: pictures of what a model computes for one image, as the CSC321
// assignment showed its out1..out5: the input, the ground truth, the prediction, and the
// feature maps of every hidden block (report/feature_mosaic.hpp).
#include <string>
#include <vector>

#include "vkcolor/data/dataset.hpp"
#include "vkcolor/data/palette.hpp"
#include "vkcolor/model/graph.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::train {

class Backend;

// A hidden block: the graph's nodes of one top-level PyTorch module (the text of a node's name
// before its first '.': "downconv1" for downconv1.0 ... downconv1.3), in graph order of first
// appearance. Its output is the activation of its last node. Concatenations ("cat_...") only
// join other blocks' outputs and the final output node is the prediction, so neither is a block.
struct HiddenBlock {
    std::string name;   // "downconv1"
    std::string node;   // "downconv1.3"
};
std::vector<HiddenBlock> hidden_blocks(const model::Graph& graph);

// One picture to write: a file name in the output folder, the image (1 x C x H x W, C 1 or 3),
// and what it shows ("32 maps of 16x16").
struct Picture {
    std::string file;
    HostTensor image;
    std::string description;
};

// The pictures for one example (a batch of 1, made for `task`), all computed before any is written:
//   input.png                   the network input (grey for the colourizers; RGB if it has 3 channels)
//   ground_truth.png            the true colour image
//   ground_truth_quantised.png  (colour-class targets) the truth in the palette's colours
//   output.png                  the prediction as RGB (data::task_output_rgb)
//   NN_<block>.png              one mosaic per hidden block, NN = 01, 02, ... in graph order
// Every picture is magnified `zoom` times by pixel repetition.
std::vector<Picture> activation_pictures(Backend& backend, const model::Graph& graph, const data::Task& task,
                                         const data::Palette& palette, const data::Batch& example, uint32_t zoom);

} // namespace vkcolor::train
