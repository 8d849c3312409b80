#pragma once
// What a network sees and what it must produce, made from RGB images (pixel/256, N x 3 x H x W).
// One colourizer and its relatives differ only here:
//   colourize (CSC321)      grey in (mean of R, G, B, or luma)   colour classes or RGB out
//   super-resolution        RGB average-pooled 4x (two 2x2 pools) and nearest-upsampled back in
//   autoencoder             RGB in, the same RGB out
//   YCbCr colourizer        Y in, Cb and Cr out (JPEG's full-range BT.601, on [0, 1])
#include "vkcolor/data/palette.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::data {

enum class GreyMode {
    mean,   // (R + G + B) / 3, as the assignment does
    luma,   // 0.21 R + 0.72 G + 0.07 B, closer to perceived brightness (the CS520 report's)
};

enum class InputKind {
    grey,         // 1 channel, by GreyMode
    luma_y,       // 1 channel: Y of YCbCr
    low_res_rgb,  // 3 channels: 4x4 blocks averaged, shown at full size
    rgb,          // 3 channels: the image itself
};

enum class TargetKind {
    classes,      // 1 channel of exact integers: the nearest palette colour of each pixel
    rgb,          // 3 channels
    cbcr,         // 2 channels: Cb and Cr
};

struct Task {
    InputKind input = InputKind::grey;
    GreyMode grey = GreyMode::mean;
    TargetKind target = TargetKind::classes;

    uint32_t input_channels() const { return input == InputKind::grey || input == InputKind::luma_y ? 1 : 3; }
    uint32_t target_channels() const { return target == TargetKind::classes ? 1 : target == TargetKind::rgb ? 3 : 2; }
};

// N x 1 x H x W grey images from N x 3 x H x W RGB images.
HostTensor to_grey(const HostTensor& rgb, GreyMode mode = GreyMode::mean);

// Y, Cb, Cr (N x 3 x H x W, each on [0, 1], Cb and Cr centred on 0.5) and back:
//   Y = 0.299 R + 0.587 G + 0.114 B,  Cb = 0.5 + (B - Y) / 1.772,  Cr = 0.5 + (R - Y) / 1.402
HostTensor rgb_to_ycbcr(const HostTensor& rgb);
HostTensor ycbcr_to_rgb(const HostTensor& ycbcr);

// Each 4x4 block replaced by its mean (two 2x2 average pools, then two nearest 2x upsamples).
// H and W must be multiples of 4.
HostTensor low_resolution(const HostTensor& rgb);

// N x 1 x H x W exact integer floats: the index of each pixel's nearest palette colour (ties to
// the lowest index).
HostTensor colour_classes(const HostTensor& rgb, const Palette& palette);

// N x 3 x H x W: each class replaced by its palette colour. Throws on a class outside the palette.
HostTensor quantised_rgb(const HostTensor& classes, const Palette& palette);

// The network input and training target of a task for RGB images (the palette is used for
// classes only).
HostTensor task_input(const Task& task, const HostTensor& rgb);
HostTensor task_target(const Task& task, const HostTensor& rgb, const Palette& palette);

// The RGB picture a network output stands for, clamped to [0, 1]: the palette colour of each
// pixel's highest logit (ties to the lowest class) for classes, the output itself for RGB, and
// for Cb/Cr the colour they make with the input's Y.
HostTensor task_output_rgb(const Task& task, const Palette& palette, const HostTensor& output, const HostTensor& input);

// What the network input looks like, as RGB (grey and Y repeated on three channels), for pictures.
HostTensor task_input_rgb(const Task& task, const HostTensor& input);

} // namespace vkcolor::data
