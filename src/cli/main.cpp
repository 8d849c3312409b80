// vkcolor: train and run image-colourization CNNs on any Vulkan GPU.
#include <cstdio>
#include <filesystem>
#include <cstdlib>
#include <exception>

#include "cli.hpp"
#include "vkcolor/gpu/error.hpp"

namespace vkcolor::cli {

gpu::ContextOptions GlobalOptions::context_options() const {
    gpu::ContextOptions o;
    o.device = device;
    const char* env = std::getenv("VKCOLOR_VALIDATE");
    o.validation = validate || (env && *env && *env != '0');
    if (!conv.empty()) o.variants["conv2d"] = conv;
    return o;
}

} // namespace vkcolor::cli

int main(int argc, char** argv) {
    using namespace vkcolor;
    CLI::App app{"vkcolor: train and run image-colourization CNNs on any Vulkan GPU", "vkcolor"};
    app.set_version_flag("--version", std::string("vkcolor ") + VKCOLOR_VERSION);
    app.require_subcommand(0, 1);
    app.fallthrough();   // global options may come after the subcommand too
    // A repeated option takes its last value, as in most command lines ("--epochs 1 ... --epochs 2").
    app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);

    cli::GlobalOptions global;
    app.add_option("--device", global.device, "Vulkan device index (see 'vkcolor devices'); "
                   "default: the VKCOLOR_DEVICE variable, else the best device")
        ->check(CLI::NonNegativeNumber);
    app.add_option("--conv", global.conv,
                   "convolution kernels: texel (for CPU drivers such as lavapipe) or tiled (for GPUs); "
                   "default: the VKCOLOR_CONV variable, else by device type")
        ->check(CLI::IsMember({"tiled", "texel"}));
    app.add_flag("--validate", global.validate,
                 "enable the Khronos validation layer (also VKCOLOR_VALIDATE=1)");

    cli::add_devices_command(app, global);
    cli::add_selftest_command(app, global);
    cli::add_bench_command(app, global);
    cli::add_train_command(app, global);
    cli::add_infer_command(app, global);
    cli::add_eval_command(app, global);
    cli::add_palette_command(app, global);
    cli::add_sweep_command(app, global);
    cli::add_activations_command(app, global);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        std::fputs(app.help().c_str(), stdout);
        return 0;
    } catch (const CLI::CallForAllHelp&) {
        std::fputs(app.help("", CLI::AppFormatMode::All).c_str(), stdout);
        return 0;
    } catch (const CLI::CallForVersion& e) {
        std::printf("%s\n", e.what());
        return 0;
    } catch (const CLI::ParseError& e) {
        // One line, and a pointer to the help; CLI11's own output is several lines.
        std::fprintf(stderr, "vkcolor: error: %s (see 'vkcolor --help')\n", e.what());
        return 2;
    } catch (const Error& e) {   // subcommands run inside parse(), from their callbacks
        std::fprintf(stderr, "vkcolor: error: %s\n", e.what());
        return 1;
    } catch (const std::filesystem::filesystem_error& e) {
        // The file system refused (permissions, a vanished file): the user's to fix, not a bug.
        std::string where = e.path1().empty() ? "" : e.path1().string() + ": ";
        std::fprintf(stderr, "vkcolor: error: %s%s\n", where.c_str(), e.code().message().c_str());
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "vkcolor: internal error: %s\n", e.what());
        return 1;
    }
    if (app.get_subcommands().empty()) {
        std::fprintf(stderr, "vkcolor: error: no command given (see 'vkcolor --help')\n");
        return 2;
    }
    return 0;
}
