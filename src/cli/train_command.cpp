// `vkcolor train`: train a CSC321 colourizer (see include/vkcolor/train/trainer.hpp).
#include <cstdio>
#include <memory>

#include "cli.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/train/trainer.hpp"

namespace vkcolor::cli {

void add_train_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("train", "train a model (the colourizers and their relatives: see --model)");
    auto o = std::make_shared<train::TrainOptions>();
    auto backend = std::make_shared<std::string>("gpu");
    auto optimizer = std::make_shared<std::string>("adam");
    auto weight_decay = std::make_shared<double>(0.0);
    cmd->add_option("--model", o->model.model,
                    "regression, cnn, unet, dunet (CSC321); attention_unet; cs520 (dense bottleneck, unpooling "
                    "decoder); autoencoder (RGB -> RGB); ycbcr (Y -> Cb, Cr)")
        ->check(CLI::IsMember(model::preset_names()))
        ->capture_default_str();
    cmd->add_option("--task", o->model.task, "colour, or superres: colour 4x-downsampled RGB back to full resolution")
        ->check(CLI::IsMember({"colour", "superres"}))
        ->capture_default_str();
    cmd->add_option("--loss", o->model.loss, "ce (24 colour classes), mse or l1 (RGB regression); default: the model's own")
        ->check(CLI::IsMember({"ce", "mse", "l1"}));
    cmd->add_option("--activation", o->model.activation, "relu, or leaky (LeakyReLU, --leaky-slope)")
        ->check(CLI::IsMember({"relu", "leaky"}))
        ->capture_default_str();
    cmd->add_option("--leaky-slope", o->model.negative_slope, "LeakyReLU's negative slope")->capture_default_str();
    cmd->add_option("--grey", o->model.grey, "grey input: mean of R, G, B (CSC321), or luma 0.21R + 0.72G + 0.07B")
        ->check(CLI::IsMember({"mean", "luma"}))
        ->capture_default_str();
    cmd->add_option("--dropout", o->model.dropout, "cs520: dropout probability in the dense bottleneck")->capture_default_str();
    cmd->add_option("--latent", o->model.latent, "cs520: width of the dense bottleneck")->capture_default_str();
    cmd->add_option("--encoder", o->model.encoder, "autoencoder: channels of each conv + max-pool level, e.g. 8,12,16")
        ->delimiter(',')
        ->capture_default_str();
    cmd->add_option("--data", o->data, "'synthetic' (built in), a CIFAR-10 folder (cifar-10-batches-bin) or an image folder")
        ->capture_default_str();
    cmd->add_option("--category", o->category, "CIFAR-10 class name or index, or 'all'")->capture_default_str();
    cmd->add_option("--epochs", o->epochs, "epochs to train")->capture_default_str();
    cmd->add_option("--batch", o->batch, "images per batch")->capture_default_str();
    cmd->add_option("--optimizer", *optimizer, "adam (the assignment's), adamw or sgd, as torch.optim")
        ->check(CLI::IsMember({"adam", "adamw", "sgd"}))
        ->capture_default_str();
    cmd->add_option("--lr", o->lr, "learning rate (SGD usually wants a larger one, 0.01-0.1)")->capture_default_str();
    auto* decay = cmd->add_option("--weight-decay", *weight_decay,
                                  "weight decay: L2 for adam and sgd, decoupled for adamw (default 0, adamw 0.01)");
    cmd->add_option("--momentum", o->momentum, "SGD momentum")->capture_default_str();
    cmd->add_flag("--nesterov", o->nesterov, "SGD with Nesterov momentum (needs --momentum)");
    cmd->add_option("--early-stop", o->early_stop,
                    "stop after this many epochs without a better validation loss (0: off); best.safetensors keeps the best")
        ->check(CLI::Validator(
            [](std::string& s) {
                // CLI::NonNegativeNumber would print its range up to DBL_MAX; say it plainly.
                bool whole = !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
                return whole ? std::string() : "the patience is a whole number of epochs (0: off), not " + s;
            },
            "EPOCHS"))
        ->capture_default_str();
    cmd->add_option("--seed", o->seed, "seed of initialisation and shuffling")->capture_default_str();
    cmd->add_option("--out", o->out, "run folder for checkpoints, metrics and pictures")->required();
    cmd->add_flag("--resume", o->resume, "continue the run in --out where it stopped");
    cmd->add_option("--num-filters", o->model.num_filters, "NF, filters of the first layer")->capture_default_str();
    cmd->add_option("--kernel", o->model.kernel, "convolution kernel size (odd)")->capture_default_str();
    auto* colours = cmd->add_option("--colours", o->model.colours,
                                    "colour classes; other than 24, a k-means palette of the training data")
                        ->capture_default_str();
    cmd->add_option("--palette", o->palette, "palette file (K lines of R G B in [0,1])");
    cmd->add_option("--dilation", o->model.dilation, "dilation of dunet's middle conv")->capture_default_str();
    cmd->add_option("--backend", *backend, "gpu (Vulkan) or cpu (the reference, slow)")
        ->check(CLI::IsMember({"gpu", "cpu"}))
        ->capture_default_str();
    cmd->add_option("--synthetic-train", o->synthetic_train, "images in the synthetic training set")->capture_default_str();
    cmd->add_option("--synthetic-validation", o->synthetic_validation, "images in the synthetic validation set")
        ->capture_default_str();
    cmd->add_option("--train-images", o->train_limit, "use only the first N training images (0: all)")->capture_default_str();
    cmd->add_option("--val-images", o->validation_limit, "use only the first N validation images (0: all)")
        ->capture_default_str();
    cmd->callback([&global, o, backend, colours, optimizer, weight_decay, decay] {
        o->colours_given = colours->count() > 0;
        o->cpu = *backend == "cpu";
        o->optimizer = optim::parse_optimizer_kind(*optimizer);
        if (decay->count() > 0) o->weight_decay = *weight_decay;   // else the optimizer's default
        std::unique_ptr<gpu::Context> ctx;
        if (!o->cpu) ctx = std::make_unique<gpu::Context>(global.context_options());
        auto summary = train::train(*o, ctx.get(), stdout);
        std::printf("run folder: %s (checkpoint.safetensors, best.safetensors, metrics.jsonl, training_curve.png, "
                    "samples)\n",
                    o->out.string().c_str());
        if (ctx && ctx->instance().validation_message_count())
            throw Error("the validation layer reported " + std::to_string(ctx->instance().validation_message_count()) + " message(s)");
    });
}

} // namespace vkcolor::cli
