// `vkcolor eval`: loss, pixel accuracy, MSE, PSNR and SSIM of a checkpoint on a dataset.
#include <cstdio>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/train/checkpoint.hpp"
#include "vkcolor/train/evaluate.hpp"
#include "vkcolor/train/trainer.hpp"

namespace vkcolor::cli {

void add_eval_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("eval", "measure a checkpoint on a dataset's validation images");
    struct Opts {
        std::string checkpoint, backend = "gpu";
        train::TrainOptions data;
        bool json = false;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("--checkpoint", o->checkpoint, "a checkpoint.safetensors")->required();
    cmd->add_option("--data", o->data.data, "'synthetic', a CIFAR-10 folder (its test batch is used) or an image folder")
        ->capture_default_str();
    cmd->add_option("--category", o->data.category, "CIFAR-10 class name or index, or 'all'")->capture_default_str();
    cmd->add_option("--batch", o->data.batch, "images per batch")->capture_default_str();
    cmd->add_option("--seed", o->data.seed, "seed of the data shuffle (synthetic data and image folders)")->capture_default_str();
    cmd->add_option("--val-images", o->data.validation_limit, "use only the first N validation images (0: all)")
        ->capture_default_str();
    cmd->add_option("--backend", o->backend, "gpu or cpu")->check(CLI::IsMember({"gpu", "cpu"}))->capture_default_str();
    cmd->add_flag("--json", o->json, "print JSON");
    cmd->callback([&global, o] {
        auto ckpt = train::load_checkpoint(o->checkpoint);
        model::Graph graph = model::build_preset(ckpt.config);
        std::string description;
        o->data.model = ckpt.config;   // the checkpoint's task decides inputs and targets
        o->data.validation_only = true;
        auto sets = train::load_training_data(o->data, ckpt.palette, description);
        std::unique_ptr<gpu::Context> ctx;
        if (o->backend == "gpu") ctx = std::make_unique<gpu::Context>(global.context_options());
        optim::OptimizerConfig unused;
        auto backend = ctx ? train::make_gpu_backend(*ctx, graph, ckpt.state, unused)
                           : train::make_cpu_backend(graph, ckpt.state, unused);
        auto m = train::evaluate(*backend, model::task_of(ckpt.config), ckpt.palette, sets.validation, o->data.batch);
        const bool classification = graph.loss == model::LossKind::CrossEntropy;
        if (o->json) {
            nlohmann::json j = {{"checkpoint", o->checkpoint}, {"model", ckpt.config.model}, {"data", description},
                                {"images", m.images}, {"loss", m.loss}, {"mse", m.mse}, {"psnr_db", m.psnr}, {"ssim", m.ssim}};
            if (classification) j["pixel_accuracy"] = m.accuracy;
            if (m.has_photo)
                j["photo_output"] = {{"mse", m.photo_mse}, {"psnr_db", m.photo_psnr}, {"ssim", m.photo_ssim}};
            std::printf("%s\n", j.dump(2).c_str());
            return;
        }
        std::printf("%s (%s) on %s\n", o->checkpoint.c_str(), ckpt.config.model.c_str(), description.c_str());
        std::printf("images:          %u\n", m.images);
        std::printf("loss:            %.4f (%s)\n", m.loss,
                    classification ? "cross-entropy" : graph.loss == model::LossKind::L1 ? "L1" : "MSE");
        if (classification) std::printf("pixel accuracy:  %.2f%%\n", m.accuracy);
        // The network's own picture (the assignment's), then what infer writes by default.
        std::printf("RGB MSE:         %.5f\n", m.mse);
        std::printf("PSNR:            %.2f dB\n", m.psnr);
        std::printf("SSIM:            %.4f\n", m.ssim);
        if (m.has_photo)
            std::printf("infer's output (the image's luminance, the predicted colour): RGB MSE %.5f, PSNR %.2f dB, SSIM %.4f\n",
                        m.photo_mse, m.photo_psnr, m.photo_ssim);
    });
}

} // namespace vkcolor::cli
