// `vkcolor activations`: the input, truth, prediction and every hidden block's feature maps of
// one validation image, as PNGs (train/activations.hpp).
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/io/image.hpp"
#include "vkcolor/train/activations.hpp"
#include "vkcolor/train/backend.hpp"
#include "vkcolor/train/checkpoint.hpp"
#include "vkcolor/train/trainer.hpp"

namespace vkcolor::cli {

namespace fs = std::filesystem;

void add_activations_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("activations", "save the feature maps of every hidden block for one validation image");
    struct Opts {
        std::string checkpoint, out, backend = "gpu";
        uint32_t index = 0, zoom = 4;
        train::TrainOptions data;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("--checkpoint", o->checkpoint, "a checkpoint.safetensors")->required();
    cmd->add_option("--index", o->index, "which validation image, from 0, in the order 'vkcolor eval' uses")->required();
    cmd->add_option("--data", o->data.data, "'synthetic', a CIFAR-10 folder (its test batch is used) or an image folder")
        ->capture_default_str();
    cmd->add_option("--category", o->data.category, "CIFAR-10 class name or index, or 'all'")->capture_default_str();
    cmd->add_option("--seed", o->data.seed, "seed of the data shuffle (synthetic data and image folders)")->capture_default_str();
    cmd->add_option("--out", o->out, "folder for the PNGs (created if missing)")->required();
    cmd->add_option("--zoom", o->zoom, "magnification of every picture (pixel repetition)")->capture_default_str();
    cmd->add_option("--backend", o->backend, "gpu or cpu")->check(CLI::IsMember({"gpu", "cpu"}))->capture_default_str();
    cmd->callback([&global, o] {
        if (o->zoom < 1 || o->zoom > 32) throw Error("--zoom " + std::to_string(o->zoom) + " must be between 1 and 32");
        auto ckpt = train::load_checkpoint(o->checkpoint);
        model::Graph graph = model::build_preset(ckpt.config);
        std::string description;
        o->data.model = ckpt.config;   // the checkpoint's task decides inputs and targets
        auto sets = train::load_training_data(o->data, ckpt.palette, description);
        const uint32_t n = sets.validation.size();
        if (o->index >= n)
            throw Error("--index " + std::to_string(o->index) + " is out of range: " + description + " has " + std::to_string(n) +
                        " validation images (--index 0 to " + std::to_string(n - 1) + ")");
        std::unique_ptr<gpu::Context> ctx;
        if (o->backend == "gpu") ctx = std::make_unique<gpu::Context>(global.context_options());
        optim::OptimizerConfig unused;
        auto backend = ctx ? train::make_gpu_backend(*ctx, graph, ckpt.state, unused)
                           : train::make_cpu_backend(graph, ckpt.state, unused);
        // Everything is computed before the folder is made or a file written: a failure leaves nothing.
        auto pictures = train::activation_pictures(*backend, graph, model::task_of(ckpt.config), ckpt.palette,
                                                   sets.validation.batch(o->index, 1), o->zoom);
        std::error_code ec;
        fs::create_directories(o->out, ec);
        if (!fs::is_directory(o->out))
            throw Error(o->out + ": cannot create the output folder" + (ec ? " (" + ec.message() + ")" : std::string()));
        std::printf("%s (%s) on validation image %u of %s\n", o->checkpoint.c_str(), ckpt.config.model.c_str(), o->index,
                    description.c_str());
        for (const auto& p : pictures) {
            const fs::path path = fs::path(o->out) / p.file;
            io::save_png(path, p.image);   // atomically: a file is complete or absent
            std::printf("wrote %s (%s)\n", path.string().c_str(), p.description.c_str());
        }
    });
}

} // namespace vkcolor::cli
