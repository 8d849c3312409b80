// `vkcolor infer`: colour images of any size with a trained checkpoint.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>

#include "cli.hpp"
#include "vkcolor/data/image_folder.hpp"
#include "vkcolor/gpu/error.hpp"
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
            for (const auto& e : fs::recursive_directory_iterator(p))
                if (e.is_regular_file() && data::is_image_file_name(e.path()) && e.path().filename().string()[0] != '.')
                    found.push_back(e.path());
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
} // namespace

void add_infer_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("infer", "colour grey or colour images of any size with a checkpoint");
    struct Opts {
        std::string checkpoint, out, backend = "gpu";
        std::vector<std::string> inputs;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("--checkpoint", o->checkpoint, "a checkpoint.safetensors from vkcolor train")->required();
    cmd->add_option("--out", o->out, "folder for the coloured PNGs")->required();
    cmd->add_option("--backend", o->backend, "gpu or cpu")->check(CLI::IsMember({"gpu", "cpu"}))->capture_default_str();
    cmd->add_option("images", o->inputs, "image files or folders (PNG, JPEG)")->required();
    cmd->callback([&global, o] {
        // Read everything the user gave before writing anything.
        auto checkpoint = train::load_checkpoint(o->checkpoint);
        auto files = expand_inputs(o->inputs);
        for (const auto& f : files) io::load_image(f);   // every input decodes, or nothing is written
        std::error_code ec;
        fs::create_directories(o->out, ec);
        if (!fs::is_directory(o->out)) throw Error(o->out + ": cannot create the output folder");
        std::unique_ptr<gpu::Context> ctx;
        if (o->backend == "gpu") ctx = std::make_unique<gpu::Context>(global.context_options());
        train::Colorizer colorizer(checkpoint, ctx.get());
        std::printf("%s (%s, %u epochs) on %s\n", o->checkpoint.c_str(), checkpoint.config.model.c_str(),
                    checkpoint.epochs_trained, ctx ? ctx->info().name.c_str() : "the CPU reference");
        std::set<std::string> used;
        for (const auto& f : files) {
            HostTensor image = io::load_image(f);   // decoded again: memory stays one image deep
            HostTensor coloured = colorizer.colorize(image);
            // Outputs are named after the inputs; a repeated name gets a numbered suffix.
            std::string stem = f.stem().string(), name = stem + ".png";
            for (int k = 2; used.count(name); ++k) name = stem + "-" + std::to_string(k) + ".png";
            used.insert(name);
            fs::path dst = fs::path(o->out) / name;
            io::save_png(dst, coloured);
            std::printf("%s -> %s (%ux%u)\n", f.string().c_str(), dst.string().c_str(), image.shape.w, image.shape.h);
        }
    });
}

} // namespace vkcolor::cli
