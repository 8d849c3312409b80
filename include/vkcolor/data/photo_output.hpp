#pragma once
// The picture `vkcolor infer` writes for a photo: the photo's own luminance with the colour the
// network predicts, so that a colourizer adds colour and keeps the detail (fur, text, grain).
// The assignment's classifiers predict one of 24 palette colours a pixel, brightness included;
// written as they are (`--raw`), every photo becomes a poster. Here instead:
//   - luminance: Y of BT.601 YCbCr of the photo (its grey value, for a grey photo);
//   - chroma (Cb, Cr): for colour classes, that of the annealed mean of the palette colours,
//     sum_c softmax(logits / T)_c palette_c (Zhang, Isola and Efros, "Colorful Image
//     Colorization", ECCV 2016, T = 0.38 there: T -> 0 gives the most likely colour, T = 1 the
//     plain mean); for RGB outputs, their chroma; for Cb/Cr outputs, those.
// Models that do not colourize a grey picture (super-resolution, the autoencoder) keep their own
// output.
#include "vkcolor/data/palette.hpp"
#include "vkcolor/data/task.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::data {

struct PhotoOutput {
    bool raw = false;            // the network's own picture, as task_output_rgb makes it
    float temperature = 0.38f;   // of the annealed mean, > 0
};

// `output`: the network's output for the photo (N x C x H x W); `photo`: the photo, N x 3 or
// N x 1 x H x W on the pixel/256 scale. Returns N x 3 x H x W RGB in [0, 1].
HostTensor photo_output_rgb(const Task& task, const Palette& palette, const HostTensor& output, const HostTensor& photo,
                            const HostTensor& network_input, const PhotoOutput& options = {});

// Whether photo_output_rgb keeps the photo's luminance for this task (a grey-in colourizer).
bool keeps_photo_luminance(const Task& task);

} // namespace vkcolor::data
