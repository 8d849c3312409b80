#include "vkcolor/train/trainer.hpp"

#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <memory>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "vkcolor/data/cifar10.hpp"
#include "vkcolor/data/image_folder.hpp"
#include "vkcolor/data/random.hpp"
#include "vkcolor/data/synthetic.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/io/file.hpp"
#include "vkcolor/io/image.hpp"
#include "vkcolor/report/plot.hpp"
#include "vkcolor/train/backend.hpp"
#include "vkcolor/train/checkpoint.hpp"
#include "vkcolor/train/evaluate.hpp"
#include "vkcolor/train/run_folder.hpp"
#include "vkcolor/train/samples.hpp"

namespace vkcolor::train {

namespace fs = std::filesystem;

namespace {

bool is_cifar_folder(const fs::path& p) {
    return fs::is_directory(p) && (fs::exists(p / "data_batch_1.bin") || fs::exists(p / "test_batch.bin"));
}

// Rows [first, first + count) of an N x C x H x W tensor, in the given order.
HostTensor gather(const HostTensor& t, const std::vector<uint32_t>& order, size_t first, size_t count) {
    Shape s = t.shape;
    s.n = static_cast<uint32_t>(count);
    HostTensor out(s);
    size_t per = size_t(s.c) * s.h * s.w;
    for (size_t i = 0; i < count; ++i)
        std::copy_n(t.data.begin() + order[first + i] * per, per, out.data.begin() + i * per);
    return out;
}

TrainingImages load_all_images(const TrainOptions& o) {
    TrainingImages im;
    if (o.data == "synthetic") {
        // 12 KiB of RGB a 32x32 image, and as much again for inputs and targets.
        constexpr uint32_t k_max_synthetic = 1000000;
        for (auto [flag, n] : {std::pair{"--synthetic-train", o.synthetic_train}, {"--synthetic-validation", o.synthetic_validation}}) {
            if (n == 0) throw Error(std::string(flag) + " must be at least 1");
            if (n > k_max_synthetic)
                throw Error(std::string(flag) + " " + std::to_string(n) + " is above the limit of " + std::to_string(k_max_synthetic));
        }
        im.train = data::synthetic_scenes(o.synthetic_train, o.seed);
        im.validation = data::synthetic_scenes(o.synthetic_validation, o.seed, o.synthetic_train);
        im.description = "synthetic scenes (" + std::to_string(o.synthetic_train) + " train, " +
                         std::to_string(o.synthetic_validation) + " validation, seed " + std::to_string(o.seed) + ")";
        return im;
    }
    fs::path path = o.data;
    if (!fs::exists(path)) throw Error(o.data + ": no such file or folder (use --data synthetic, a CIFAR-10 folder or an image folder)");
    if (is_cifar_folder(path)) {
        auto category = data::parse_cifar10_category(o.category);
        // eval needs only the test batch; with the training batches there it loads them too, so
        // that the shuffled validation order (and so its batches) is the training run's.
        const bool skip_train = o.validation_only && !fs::exists(path / "data_batch_1.bin");
        auto train = skip_train ? data::Cifar10Records{} : data::load_cifar10(path, category, data::Cifar10Split::train);
        auto test = data::load_cifar10(path, category, data::Cifar10Split::test);
        if ((train.size() == 0 && !skip_train) || test.size() == 0)
            throw Error(o.data + ": no images of category '" + o.category + "' in the training or test files");
        im.train = data::cifar10_images(train);
        im.validation = data::cifar10_images(test);
        im.description = "CIFAR-10 " + o.category + " from " + o.data + " (" + std::to_string(train.size()) +
                         " train, " + std::to_string(test.size()) + " validation = the test batch)";
        return im;
    }
    if (fs::is_directory(path)) {
        auto folder = data::load_image_folder(path);
        for (const auto& s : folder.skipped) std::fprintf(stderr, "vkcolor: skipped %s\n", s.c_str());
        uint32_t n = folder.images.shape.n;
        if (n < 2) throw Error(o.data + ": an image folder needs at least 2 images (one for validation)");
        // A seeded shuffle, then the last tenth (at least one image) validates.
        auto order = data::shuffled_order(n, o.seed);
        uint32_t val = std::max<uint32_t>(1, n / 10);
        im.train = gather(folder.images, order, 0, n - val);
        im.validation = gather(folder.images, order, n - val, val);
        im.description = "image folder " + o.data + " (" + std::to_string(n - val) + " train, " + std::to_string(val) +
                         " validation, centre-cropped and resized to 32x32)";
        return im;
    }
    throw Error(o.data + ": not a CIFAR-10 folder (data_batch_1.bin ... / test_batch.bin) or an image folder");
}

// The first `limit` images (all if 0 or more than there are).
HostTensor first_images(HostTensor t, uint32_t limit) {
    if (limit == 0 || limit >= t.shape.n) return t;
    t.shape.n = limit;
    t.data.resize(t.shape.count());
    return t;
}

} // namespace

TrainingImages load_training_images(const TrainOptions& o) {
    TrainingImages im = load_all_images(o);
    im.train = first_images(std::move(im.train), o.train_limit);
    im.validation = first_images(std::move(im.validation), o.validation_limit);
    // Only the limits that were asked for (eval sets just the validation one).
    if (o.train_limit && o.validation_limit)
        im.description += ", limited to " + std::to_string(im.train.shape.n) + " train and " +
                          std::to_string(im.validation.shape.n) + " validation images";
    else if (o.train_limit)
        im.description += ", limited to " + std::to_string(im.train.shape.n) + " train images";
    else if (o.validation_limit)
        im.description += ", limited to " + std::to_string(im.validation.shape.n) + " validation images";
    return im;
}

namespace {

void check_options(const TrainOptions& o) {
    if (o.batch == 0) throw Error("--batch must be at least 1");
    if (!(o.lr > 0) || !std::isfinite(o.lr)) throw Error("--lr must be a positive number");
    if (o.epochs == 0) throw Error("--epochs must be at least 1");
    optimizer_config(o);   // throws on bad optimizer settings
    if (o.out.empty()) throw Error("--out is required");
    model::build_preset(o.model);   // a bad model setting fails before any folder is made
}

// Makes the run folder, takes its lock, clears what killed writes left, and proves it is
// writable, before hours of training. A new run never writes over another run's files.
std::unique_ptr<RunLock> prepare_out(const TrainOptions& o) {
    std::error_code ec;
    fs::create_directories(o.out, ec);
    if (ec || !fs::is_directory(o.out)) throw Error(o.out.string() + ": cannot create the run folder (" + ec.message() + ")");
    auto lock = std::make_unique<RunLock>(o.out);
    remove_stale_temporaries(o.out);
    fs::path probe = o.out / (".write-test-" + std::to_string(::getpid()));
    {
        std::ofstream f(probe);
        if (!f) throw Error(o.out.string() + ": the run folder is not writable");
    }
    fs::remove(probe, ec);
    if (o.resume) {
        if (!fs::exists(o.out / k_checkpoint_file) && first_run_file(o.out).empty())
            throw Error(o.out.string() + ": nothing to resume (no checkpoint.safetensors)");
    } else if (std::string f = first_run_file(o.out); !f.empty()) {
        throw Error(o.out.string() + " already holds a run (" + f + "); use --resume to continue it or another --out");
    }
    return lock;
}

std::string metrics_line(const EpochMetrics& m, bool classification) {
    nlohmann::json j = {{"epoch", m.epoch},
                        {"train_loss", m.train_loss},
                        {"val_loss", m.val_loss},
                        {"time_s", m.seconds},
                        {"train_images_per_s", m.train_images_per_second}};
    if (classification) j["val_accuracy"] = m.val_accuracy;
    if (m.val_psnr_db) j["val_psnr_db"] = *m.val_psnr_db;   // infinite (a perfect prediction) is written as null
    if (m.val_ssim) j["val_ssim"] = *m.val_ssim;
    return j.dump();
}

std::vector<EpochMetrics> read_metrics(const fs::path& path, uint32_t up_to) {
    std::vector<EpochMetrics> out;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        try {
            auto j = nlohmann::json::parse(line);
            EpochMetrics m;
            m.epoch = j.at("epoch");
            if (m.epoch > up_to) continue;
            m.train_loss = j.at("train_loss");
            m.val_loss = j.at("val_loss");
            m.seconds = j.value("time_s", 0.0);
            m.train_images_per_second = j.value("train_images_per_s", 0.0);
            m.val_accuracy = j.value("val_accuracy", 0.0);
            if (j.contains("val_psnr_db") && j["val_psnr_db"].is_number()) m.val_psnr_db = j["val_psnr_db"].get<double>();
            if (j.contains("val_ssim") && j["val_ssim"].is_number()) m.val_ssim = j["val_ssim"].get<double>();
            out.push_back(m);
        } catch (const std::exception&) {
            throw Error(path.string() + ": a line is not a metrics record: " + line.substr(0, 80));
        }
    }
    return out;
}

void write_metrics(const fs::path& path, const std::vector<EpochMetrics>& history, bool classification) {
    std::string text;
    for (const auto& m : history) text += metrics_line(m, classification) + "\n";
    io::write_file_atomically(path, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

void write_curve(const fs::path& path, const std::vector<EpochMetrics>& history, const std::string& model) {
    report::Series tr{"train", {}, {}, {31, 119, 180}}, va{"validation", {}, {}, {255, 127, 14}};
    for (const auto& m : history) {
        tr.x.push_back(m.epoch), tr.y.push_back(m.train_loss);
        va.x.push_back(m.epoch), va.y.push_back(m.val_loss);
    }
    auto canvas = report::plot_lines({tr, va}, "training curve: " + model, "epoch", "loss");
    HostTensor img(Shape{1, 3, uint32_t(canvas.height()), uint32_t(canvas.width())});
    size_t plane = size_t(canvas.width()) * canvas.height();
    for (size_t i = 0; i < plane; ++i)
        for (int c = 0; c < 3; ++c) img.data[c * plane + i] = (canvas.pixels()[i * 3 + c] + 0.5f) / 256.0f;
    io::save_png(path, img);
}

class ProgressBar {
public:
    ProgressBar(bool enabled, uint32_t epoch, uint32_t epochs, uint32_t steps)
        : enabled_(enabled && ::isatty(2)), epoch_(epoch), epochs_(epochs), steps_(steps) {}
    void update(uint32_t done, double loss) {
        if (!enabled_) return;
        const int width = 30;
        int filled = steps_ ? static_cast<int>(width * double(done) / steps_) : width;
        std::string bar(filled, '=');
        bar.resize(width, ' ');
        std::fprintf(stderr, "\rEpoch %u/%u [%s] %u/%u loss %.4f", epoch_, epochs_, bar.c_str(), done, steps_, loss);
        std::fflush(stderr);
    }
    void finish() {
        if (enabled_) std::fprintf(stderr, "\r%*s\r", 80, "");
    }

private:
    bool enabled_;
    uint32_t epoch_, epochs_, steps_;
};

double mean_loss(const std::vector<model::StepResult>& r) {
    double s = 0;
    for (const auto& x : r) s += x.loss;
    return r.empty() ? 0.0 : s / r.size();
}

// The best epoch so far: the first with the lowest validation loss (a NaN never improves).
struct Best {
    uint32_t epoch = 0;
    double val_loss = std::numeric_limits<double>::infinity();
};

Best best_of(const std::vector<EpochMetrics>& history) {
    Best b;
    for (const auto& m : history)
        if (m.val_loss < b.val_loss) b = {m.epoch, m.val_loss};
    return b;
}

// The training state that belongs to the checkpoint of epoch `epoch`: train_state.safetensors, or
// the pending one when a kill came between the checkpoint and the state's rename (which is then
// completed). A pending state of an uncommitted epoch is removed.
TrainState committed_train_state(const fs::path& state_path, const fs::path& pending_path, const model::Graph& graph,
                                 uint32_t epoch) {
    std::optional<TrainState> state;
    std::optional<Error> mismatch;
    if (fs::exists(state_path)) {
        state = load_train_state(state_path, graph);
        if (state->epochs_done != epoch) {
            mismatch = Error(state_path.string() + ": is from epoch " + std::to_string(state->epochs_done) +
                             " but the checkpoint from epoch " + std::to_string(epoch));
            state.reset();
        }
    } else {
        mismatch = Error(state_path.string() + ": missing (the run folder has a checkpoint but no training state)");
    }
    if (fs::exists(pending_path)) {
        if (!state) {
            TrainState pending = load_train_state(pending_path, graph);
            if (pending.epochs_done == epoch) {
                io::rename_file(pending_path, state_path);
                return pending;
            }
        }
        std::error_code ec;
        fs::remove(pending_path, ec);
    }
    if (!state) throw *mismatch;
    return *state;
}

// best.safetensors must hold the best epoch of the history; a kill after a better epoch's
// commit but before its copy leaves it behind, and then the checkpoint is that epoch.
void repair_best(const fs::path& best_path, const Checkpoint& checkpoint, uint32_t best_epoch) {
    if (best_epoch == 0 || best_epoch != checkpoint.epochs_trained) return;
    bool current = false;
    if (fs::exists(best_path)) {
        try {
            current = load_checkpoint(best_path).epochs_trained == best_epoch;
        } catch (const Error&) {
        }
    }
    if (!current) save_checkpoint(best_path, checkpoint);
}

// The first parameter (by name) holding a NaN or an infinity, or empty.
std::string first_non_finite(const model::StateDict& state) {
    for (const auto& [name, t] : state.tensors)
        for (float v : t.data)
            if (!std::isfinite(v)) return "parameter " + name;
    return "";
}

std::string epochs_text(uint32_t n) { return std::to_string(n) + (n == 1 ? " epoch" : " epochs"); }

void print_early_stop(std::FILE* log, const std::string& prefix, uint32_t epochs, const Best& best, const char* suffix) {
    std::fprintf(log, "%sno val loss improvement for %s; best epoch %u, val loss %.4f%s\n", prefix.c_str(),
                 epochs_text(epochs).c_str(), best.epoch, best.val_loss, suffix);
    std::fflush(log);
}

} // namespace

optim::OptimizerConfig optimizer_config(const TrainOptions& o) {
    optim::OptimizerConfig c;
    c.kind = o.optimizer;
    c.lr = o.lr;
    c.weight_decay = o.weight_decay.value_or(optim::default_weight_decay(o.optimizer));
    if (!(c.weight_decay >= 0) || !std::isfinite(c.weight_decay)) throw Error("--weight-decay must not be negative");
    if (!(o.momentum >= 0) || !std::isfinite(o.momentum)) throw Error("--momentum must not be negative");
    if (o.optimizer != optim::OptimizerKind::Sgd) {
        if (o.momentum != 0 || o.nesterov) throw Error("--momentum and --nesterov apply only to --optimizer sgd");
        return c;
    }
    // PyTorch's rule (dampening is always 0 here).
    if (o.nesterov && o.momentum == 0) throw Error("--nesterov needs a --momentum above 0");
    c.momentum = o.momentum;
    c.nesterov = o.nesterov;
    return c;
}

data::TrainValidation load_training_data(const TrainOptions& options, const data::Palette& palette, std::string& description) {
    TrainingImages im = load_training_images(options);
    description = im.description;
    data::DatasetOptions d;
    d.seed = options.seed;
    d.task = model::task_of(options.model);
    return data::make_train_validation(std::move(im.train), std::move(im.validation), palette, d);
}

TrainSummary train(const TrainOptions& opts, gpu::Context* ctx, std::FILE* log) {
    TrainOptions o = opts;
    check_options(o);
    const auto lock = prepare_out(o);
    const fs::path ckpt_path = o.out / k_checkpoint_file, state_path = o.out / k_state_file,
                   pending_state_path = o.out / k_pending_state_file;

    // Resume: the model comes from the checkpoint, whose configuration must match the request. A
    // run killed before its first checkpoint starts again from epoch 1.
    std::optional<Checkpoint> resumed;
    if (o.resume && !fs::exists(ckpt_path))
        std::fprintf(log, "%s: no epoch was committed before the run stopped; starting from epoch 1\n", o.out.string().c_str());
    if (o.resume && fs::exists(ckpt_path)) {
        resumed = load_checkpoint(ckpt_path);
        const auto& c = resumed->config;
        if (c.model != o.model.model || c.num_filters != o.model.num_filters || c.kernel != o.model.kernel ||
            (o.colours_given && c.colours != o.model.colours))
            throw Error(ckpt_path.string() + ": holds a " + c.model + " (" + std::to_string(c.num_filters) + " filters, kernel " +
                        std::to_string(c.kernel) + ", " + std::to_string(c.colours) +
                        " colours), which does not match the requested model");
        o.model = c;
    }

    TrainingImages images = load_training_images(o);
    data::Palette palette;
    if (resumed) palette = resumed->palette;
    else if (!o.palette.empty()) palette = data::load_palette(o.palette);
    else if (o.colours_given && o.model.colours != data::default_palette().size())
        palette = data::compute_palette(images.train, o.model.colours, o.seed);   // k-means, as the assignment made its 24
    else palette = data::default_palette();
    model::Graph graph = model::build_preset(o.model);
    if (graph.loss == model::LossKind::CrossEntropy) {
        if (o.colours_given && o.model.colours != palette.size())
            throw Error("--colours " + std::to_string(o.model.colours) + " does not match the palette's " +
                        std::to_string(palette.size()) + " colours");
        o.model.colours = static_cast<uint32_t>(palette.size());
        graph = model::build_preset(o.model);
    }
    data::DatasetOptions dopt;
    dopt.seed = o.seed;
    dopt.task = model::task_of(o.model);
    data::TrainValidation sets = data::make_train_validation(std::move(images.train), std::move(images.validation), palette, dopt);

    model::StateDict state = resumed ? resumed->state : model::init_parameters(graph, o.seed);
    const optim::OptimizerConfig optimizer = optimizer_config(o);
    std::unique_ptr<Backend> backend =
        o.cpu ? make_cpu_backend(graph, state, optimizer) : make_gpu_backend(*ctx, graph, state, optimizer);

    TrainSummary summary;
    summary.data_description = images.description;
    uint32_t first_epoch = 1;
    if (resumed) {
        TrainState ts = committed_train_state(state_path, pending_state_path, graph, resumed->epochs_trained);
        // An older file (no optimizer recorded) is Adam's, with settings unknown.
        const bool same = ts.optimizer_recorded ? optim::same_except_lr(ts.optimizer, optimizer)
                                                : optimizer.kind == optim::OptimizerKind::Adam;
        if (!same)
            throw Error(state_path.string() + ": holds the state of " + optim::describe(ts.optimizer) + ", not of " +
                        optim::describe(optimizer) + "; resume with the same optimizer settings (only --lr may change)");
        backend->load_train_state(ts);
        first_epoch = ts.epochs_done + 1;
        summary.epochs = read_metrics(o.out / k_metrics_file, ts.epochs_done);
    }
    Best best = best_of(summary.epochs);
    summary.best_epoch = best.epoch;
    if (resumed) repair_best(o.out / k_best_file, *resumed, best.epoch);
    const bool classification = graph.loss == model::LossKind::CrossEntropy;
    if (first_epoch > o.epochs) {
        std::fprintf(log, "%s already holds %u epochs; nothing to do (raise --epochs to train on)\n", o.out.string().c_str(),
                     first_epoch - 1);
        return summary;
    }
    // A resumed run that early stopping had ended stays ended, as the uninterrupted run would.
    if (o.early_stop && first_epoch - 1 - best.epoch >= o.early_stop) {
        print_early_stop(log, o.out.string() + " already stopped early: ", first_epoch - 1 - best.epoch, best,
                         " (a larger --early-stop, or 0, trains on)");
        summary.stopped_early = true;
        return summary;
    }
    const std::string stopping =
        o.early_stop ? ", early stop after " + epochs_text(o.early_stop) + " without improvement" : "";
    std::string what = o.model.model;
    if (o.model.task == "superres") what += ", super-resolution";
    if (o.model.activation == "leaky") what += ", LeakyReLU";
    if (o.model.grey == "luma") what += ", luma grey";
    what += std::string(", ") + model::loss_name(graph.loss) + " loss";
    if (o.model.model == "autoencoder") what += ", latent " + model::latent_description(o.model);
    std::fprintf(log, "Training %s (%s; %zu parameters) on %s on the %s; epochs %u-%u, batch %u, optimizer %s, lr %g%s\n",
                 o.model.model.c_str(), what.substr(o.model.model.size() + 2).c_str(), graph.trainable_count(),
                 images.description.c_str(), backend->name().c_str(), first_epoch, o.epochs, o.batch,
                 optim::describe(optimizer).c_str(), double(o.lr), stopping.c_str());
    std::fflush(log);

    Samples samples(dopt.task, palette, sets, 10);
    for (uint32_t epoch = first_epoch; epoch <= o.epochs; ++epoch) {
        auto start = std::chrono::steady_clock::now();
        const uint32_t steps = sets.train.batch_count(o.batch);
        ProgressBar bar(o.progress, epoch, o.epochs, steps);
        uint32_t done = 0;
        double running = 0;
        auto train_results = backend->train_epoch(sets.train, o.batch, [&](uint32_t, const model::StepResult& r) {
            running += r.loss;
            ++done;
            bar.update(done, running / done);
        });
        bar.finish();
        double train_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        for (size_t b = 0; b < train_results.size(); ++b)
            if (!std::isfinite(train_results[b].loss))
                throw Error("training diverged at epoch " + std::to_string(epoch) + ", batch " + std::to_string(b + 1) +
                            " (loss " + (std::isnan(train_results[b].loss) ? "NaN" : "Inf") + "); " +
                            (epoch > 1 ? "the checkpoint of epoch " + std::to_string(epoch - 1) + " in " + o.out.string() + " is kept"
                                       : std::string("no checkpoint was written")) +
                            "; try a lower --lr");
        // The loss can be finite while a parameter is not (a corrupt optimizer state, an overflow
        // the loss does not see): nothing non-finite is ever saved.
        model::StateDict weights = backend->state();
        if (std::string bad = first_non_finite(weights); !bad.empty())
            throw Error("training diverged at epoch " + std::to_string(epoch) + ": " + bad + " holds NaN or Inf; " +
                        (epoch > 1 ? "the checkpoint of epoch " + std::to_string(epoch - 1) + " in " + o.out.string() + " is kept"
                                   : std::string("no checkpoint was written")) +
                        "; try a lower --lr");
        // One pass gives the loss, the accuracy and the image quality of the predicted colours.
        Validation validation = validate(*backend, dopt.task, palette, sets.validation, o.batch);
        const auto& val_results = validation.batches;
        EpochMetrics m;
        m.epoch = epoch;
        m.train_loss = mean_loss(train_results);
        m.val_loss = mean_loss(val_results);   // the mean of batch losses, as the assignment
        double correct = 0;
        for (const auto& r : val_results) correct += r.correct;
        m.val_accuracy = 100.0 * correct / (double(sets.validation.size()) * 32 * 32);
        m.val_psnr_db = validation.quality.psnr_db();
        m.val_ssim = validation.quality.ssim();
        m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        m.train_images_per_second = sets.train.size() / std::max(train_seconds, 1e-9);
        summary.epochs.push_back(m);

        // The assignment's line, with the image quality after the accuracy and the time last.
        std::fprintf(log, "Epoch [%u/%u], Loss: %.4f, Val Loss: %.4f", epoch, o.epochs, m.train_loss, m.val_loss);
        if (classification) std::fprintf(log, ", Val Acc: %.1f%%", m.val_accuracy);
        std::fprintf(log, ", PSNR: %.2f dB, SSIM: %.3f, Time (s): %.1f\n", *m.val_psnr_db, *m.val_ssim, m.seconds);
        std::fflush(log);

        // Files, in the commit order of run_folder.hpp: what the history shows first, then the
        // pending training state, the checkpoint (the commit), the state under its own name, and
        // the best checkpoint (which --resume repairs from the checkpoint if a kill skipped it).
        write_metrics(o.out / k_metrics_file, summary.epochs, classification);
        write_curve(o.out / k_curve_file, summary.epochs, o.model.model);
        samples.write(*backend, o.out, epoch);
        TrainState ts = backend->train_state();
        ts.epochs_done = epoch;
        save_train_state(pending_state_path, ts);
        const Checkpoint checkpoint{o.model, palette, std::move(weights), epoch};
        save_checkpoint(ckpt_path, checkpoint);
        io::rename_file(pending_state_path, state_path);
        if (m.val_loss < best.val_loss) {
            best = {epoch, m.val_loss};
            summary.best_epoch = epoch;
            save_checkpoint(o.out / k_best_file, checkpoint);
        }

        if (o.early_stop && epoch - best.epoch >= o.early_stop) {
            print_early_stop(log, "Early stop: ", epoch - best.epoch, best, "");
            summary.stopped_early = true;
            break;
        }
    }
    return summary;
}

} // namespace vkcolor::train
