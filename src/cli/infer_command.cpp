// `vkcolor infer`: colour images of any size with a trained checkpoint.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <sys/stat.h>
#include <utility>

#include "cli.hpp"
#include "vkcolor/data/image_folder.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/io/file.hpp"
#include "vkcolor/io/image.hpp"
#include "vkcolor/train/colorize.hpp"

namespace vkcolor::cli {

namespace fs = std::filesystem;

namespace {
// The files to colour: each argument is an image or a folder (its images, recursively, sorted).
std::vector<fs::path> expand_inputs(const std::vector<std::string>& args) {
    std::vector<fs::path> files;
    for (const auto& a : args) {
        fs::path p = a;
        if (fs::is_directory(p)) {
            std::vector<fs::path> found;
            std::error_code ec;
            fs::recursive_directory_iterator it(p, ec), end;
            for (; !ec && it != end; it.increment(ec))
                if (it->is_regular_file(ec) && data::is_image_file_name(it->path()) && it->path().filename().string()[0] != '.')
                    found.push_back(it->path());
            if (ec) throw Error(a + ": cannot read the folder: " + ec.message());
            if (found.empty()) throw Error(a + ": the folder holds no PNG or JPEG image");
            std::sort(found.begin(), found.end());
            files.insert(files.end(), found.begin(), found.end());
        } else if (fs::exists(p)) {
            files.push_back(p);
        } else {
            throw Error(a + ": no such file or folder");
        }
    }
    return files;
}

// A file's identity (device and inode), so that another spelling of a path (./a.png, a link)
// is still recognised as the same file.
std::optional<std::pair<dev_t, ino_t>> identity(const fs::path& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return std::nullopt;
    return std::pair{st.st_dev, st.st_ino};
}

// The output path of every input, all chosen before anything is written: `<stem>.png` in `out`,
// or `<stem>-2.png`, `-3`, ... when that name is taken by an earlier output of this run, is one
// of the inputs (never written over, even with --overwrite), or exists already (unless
// `overwrite`).
std::vector<fs::path> plan_outputs(const std::vector<fs::path>& inputs, const fs::path& out, bool overwrite) {
    std::set<std::pair<dev_t, ino_t>> input_files;
    for (const auto& f : inputs)
        if (auto id = identity(f)) input_files.insert(*id);
    std::set<std::string> taken;
    std::vector<fs::path> outputs;
    for (const auto& f : inputs) {
        const std::string stem = f.stem().string();
        for (int k = 1;; ++k) {
            std::string name = k == 1 ? stem + ".png" : stem + "-" + std::to_string(k) + ".png";
            fs::path dst = out / name;
            auto id = identity(dst);
            bool free = !taken.count(name) && !(id && input_files.count(*id)) && (overwrite || !id);
            if (id && !fs::is_regular_file(dst)) free = false;   // never a folder or a device
            if (free) {
                taken.insert(name);
                outputs.push_back(dst);
                break;
            }
        }
    }
    return outputs;
}
} // namespace

void add_infer_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("infer", "colour grey or colour images of any size (with the built-in model or a checkpoint)");
    struct Opts {
        std::string checkpoint, out, backend = "gpu";
        std::vector<std::string> inputs;
        bool overwrite = false;
        data::PhotoOutput output;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("--checkpoint", o->checkpoint,
                    "a checkpoint.safetensors from vkcolor train (default: the built-in model, assets/README.md)");
    cmd->add_option("--out", o->out, "folder for the coloured PNGs")->required();
    cmd->add_option("--backend", o->backend, "gpu or cpu")->check(CLI::IsMember({"gpu", "cpu"}))->capture_default_str();
    cmd->add_option("images", o->inputs, "image files or folders (PNG, JPEG)")->required();
    cmd->add_flag("--raw", o->output.raw,
                  "write the network's own picture (for the palette classifiers: one of their colours a pixel, "
                  "brightness included, as the assignment shows it) instead of the photo's luminance with the "
                  "predicted colour");
    cmd->add_option("--temperature", o->output.temperature,
                    "palette classifiers: the colour is the annealed mean of the palette, softmax(logits / T) "
                    "(Zhang et al. 2016); smaller is more saturated")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->add_flag("--overwrite", o->overwrite,
                  "replace existing files in --out (without it they are kept and outputs get numbered names; "
                  "an input is never replaced)");
    cmd->callback([&global, o] {
        // Read everything the user gave before writing anything.
        const bool builtin = o->checkpoint.empty();
        auto checkpoint = builtin ? train::builtin_checkpoint() : train::load_checkpoint(o->checkpoint);
        auto files = expand_inputs(o->inputs);
        // Each input is read once; every one decodes, or nothing is written. The encoded bytes
        // are kept, not the decoded images, so memory stays one decoded image deep.
        std::vector<std::vector<uint8_t>> encoded;
        for (const auto& f : files) {
            encoded.push_back(io::read_file(f, io::max_image_file_bytes));
            io::decode_image(encoded.back(), f);
        }
        std::error_code ec;
        fs::create_directories(o->out, ec);
        if (!fs::is_directory(o->out)) throw Error(o->out + ": cannot create the output folder");
        const auto outputs = plan_outputs(files, o->out, o->overwrite);
        std::unique_ptr<gpu::Context> ctx;
        if (o->backend == "gpu") ctx = std::make_unique<gpu::Context>(global.context_options());
        train::Colorizer colorizer(checkpoint, ctx.get());
        const std::string model_name = builtin ? std::string("built-in ") + train::k_builtin_model_file : o->checkpoint;
        std::printf("%s (%s, %u epochs) on %s\n", model_name.c_str(), checkpoint.config.model.c_str(),
                    checkpoint.epochs_trained, ctx ? ctx->info().name.c_str() : "the CPU reference");
        for (size_t i = 0; i < files.size(); ++i) {
            HostTensor image = io::decode_image(encoded[i], files[i]);
            std::vector<uint8_t>().swap(encoded[i]);
            HostTensor coloured = colorizer.colorize(image, o->output);
            // Refuse, not replace, what appeared since the plan (another process's file).
            io::save_png(outputs[i], coloured, o->overwrite ? io::OnExisting::replace : io::OnExisting::refuse);
            std::printf("%s -> %s (%ux%u)\n", files[i].string().c_str(), outputs[i].string().c_str(), image.shape.w,
                        image.shape.h);
        }
    });
}

} // namespace vkcolor::cli
