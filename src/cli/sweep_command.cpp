// `vkcolor sweep`: the autoencoder trained once per encoder configuration (one epoch each by
// default), then a table of latent size against reconstruction error, as the Maastricht ACML
// report compared bottlenecks. Each configuration is an ordinary run in OUT/encoder-A-B-C.
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/train/trainer.hpp"

namespace vkcolor::cli {

namespace {

std::vector<uint32_t> parse_channels(const std::string& text) {
    std::vector<uint32_t> out;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find(',', start);
        if (end == std::string::npos) end = text.size();
        std::string item = text.substr(start, end - start);
        size_t used = 0;
        unsigned long v = 0;
        try {
            v = std::stoul(item, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (item.empty() || used != item.size() || v == 0 || v > 4096)
            throw Error("--encoder '" + text + "': expected channel counts like 8,12,16 (each 1 to 4096)");
        out.push_back(static_cast<uint32_t>(v));
        start = end + 1;
    }
    return out;
}

std::string folder_name(const std::vector<uint32_t>& channels) {
    std::string s = "encoder";
    for (auto c : channels) s += "-" + std::to_string(c);
    return s;
}

} // namespace

void add_sweep_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("sweep", "train the autoencoder for several encoder configurations; table of latent size and error");
    struct Opts {
        train::TrainOptions run;
        std::vector<std::string> encoders{"8", "8,12", "8,12,16", "16,32,64"};
        std::string backend = "gpu";
        bool json = false;
    };
    auto o = std::make_shared<Opts>();
    o->run.epochs = 1;
    cmd->add_option("--encoder", o->encoders, "one configuration: channels per conv + max-pool level, e.g. 8,12,16 (repeat)")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->capture_default_str();
    cmd->add_option("--data", o->run.data, "'synthetic', a CIFAR-10 folder or an image folder")->capture_default_str();
    cmd->add_option("--category", o->run.category, "CIFAR-10 class name or index, or 'all'")->capture_default_str();
    cmd->add_option("--epochs", o->run.epochs, "epochs per configuration")->capture_default_str();
    cmd->add_option("--batch", o->run.batch, "images per batch")->capture_default_str();
    cmd->add_option("--lr", o->run.lr, "Adam learning rate")->capture_default_str();
    cmd->add_option("--seed", o->run.seed, "seed of initialisation and shuffling")->capture_default_str();
    cmd->add_option("--train-images", o->run.train_limit, "use only the first N training images (0: all)")->capture_default_str();
    cmd->add_option("--val-images", o->run.validation_limit, "use only the first N validation images (0: all)")
        ->capture_default_str();
    cmd->add_option("--synthetic-train", o->run.synthetic_train, "images in the synthetic training set")->capture_default_str();
    cmd->add_option("--synthetic-validation", o->run.synthetic_validation, "images in the synthetic validation set")
        ->capture_default_str();
    cmd->add_option("--out", o->run.out, "folder for one run per configuration")->required();
    cmd->add_option("--backend", o->backend, "gpu or cpu")->check(CLI::IsMember({"gpu", "cpu"}))->capture_default_str();
    cmd->add_flag("--json", o->json, "print JSON instead of the table");
    cmd->callback([&global, o] {
        // Every configuration is checked before any training starts.
        std::vector<std::vector<uint32_t>> configs;
        for (const auto& e : o->encoders) {
            configs.push_back(parse_channels(e));
            model::ModelConfig m;
            m.model = "autoencoder";
            m.encoder = configs.back();
            model::build_preset(m);
        }
        std::unique_ptr<gpu::Context> ctx;
        if (o->backend == "gpu") ctx = std::make_unique<gpu::Context>(global.context_options());
        std::FILE* log = o->json ? stderr : stdout;
        nlohmann::json rows = nlohmann::json::array();
        struct Row { std::string encoder, latent; size_t values, params; double mse, psnr, ssim, seconds; };
        std::vector<Row> table;
        for (const auto& channels : configs) {
            train::TrainOptions run = o->run;
            run.model.model = "autoencoder";
            run.model.encoder = channels;
            run.cpu = !ctx;
            run.out = o->run.out / folder_name(channels);
            auto summary = train::train(run, ctx.get(), log);
            const auto& last = summary.epochs.back();
            const uint32_t side = 32 >> channels.size();
            Row r{o->encoders[table.size()], model::latent_description(run.model), size_t(channels.back()) * side * side,
                  model::build_preset(run.model).trainable_count(), last.val_loss,
                  last.val_psnr_db.value_or(NAN), last.val_ssim.value_or(NAN), 0};
            for (const auto& e : summary.epochs) r.seconds += e.seconds;
            table.push_back(r);
            rows.push_back({{"encoder", channels}, {"latent", r.latent}, {"latent_values", r.values}, {"parameters", r.params},
                            {"val_mse", r.mse}, {"val_psnr_db", r.psnr}, {"val_ssim", r.ssim}, {"seconds", r.seconds},
                            {"run", run.out.string()}});
        }
        if (o->json) {
            std::printf("%s\n", rows.dump(2).c_str());
            return;
        }
        std::printf("\n%-12s %-10s %8s %10s %10s %10s %8s %8s\n", "encoder", "latent", "values", "params", "val MSE", "PSNR dB",
                    "SSIM", "time s");
        for (const auto& r : table)
            std::printf("%-12s %-10s %8zu %10zu %10.5f %10.2f %8.3f %8.1f\n", r.encoder.c_str(), r.latent.c_str(), r.values,
                        r.params, r.mse, r.psnr, r.ssim, r.seconds);
        if (ctx && ctx->instance().validation_message_count())
            throw Error("the validation layer reported " + std::to_string(ctx->instance().validation_message_count()) + " message(s)");
    });
}

} // namespace vkcolor::cli
