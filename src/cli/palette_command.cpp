// `vkcolor palette`: a K-colour k-means palette of a training set, as the assignment made its 24.
#include <chrono>
#include <cstdio>
#include <memory>

#include "cli.hpp"
#include "vkcolor/data/palette.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/train/trainer.hpp"

namespace vkcolor::cli {

void add_palette_command(CLI::App& app, const GlobalOptions&) {
    auto* cmd = app.add_subcommand("palette", "compute a k-means colour palette of a training set");
    struct Opts {
        train::TrainOptions data;
        uint32_t colours = 24;
        std::string out;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("--data", o->data.data, "'synthetic', a CIFAR-10 folder or an image folder")->capture_default_str();
    cmd->add_option("--category", o->data.category, "CIFAR-10 class name or index, or 'all'")->capture_default_str();
    cmd->add_option("--colours", o->colours, "number of colours K")->check(CLI::Range(1, 4096))->capture_default_str();
    cmd->add_option("--seed", o->data.seed, "seed of the k-means++ initialisation")->capture_default_str();
    cmd->add_option("--train-images", o->data.train_limit, "use only the first N training images (0: all)")
        ->capture_default_str();
    cmd->add_option("--out", o->out, "palette file to write (K lines of R G B in [0,1])")->required();
    cmd->callback([o] {
        auto images = train::load_training_images(o->data);
        auto start = std::chrono::steady_clock::now();
        data::Palette p = data::compute_palette(images.train, o->colours, o->data.seed);
        double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        data::save_palette(o->out, p,
                           "k-means palette (" + std::to_string(o->colours) + " colours, seed " + std::to_string(o->data.seed) +
                               ") of " + images.description + "\nmade by vkcolor palette; use with vkcolor train --palette");
        std::printf("%s: %u colours from %u training images in %.1f s\n", o->out.c_str(), o->colours, images.train.shape.n, s);
    });
}

} // namespace vkcolor::cli
