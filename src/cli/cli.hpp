#pragma once
// Shared state of the vkcolor command line: global options and the subcommand registrars.
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "vkcolor/gpu/context.hpp"

namespace vkcolor::cli {

struct GlobalOptions {
    std::optional<int> device;   // --device N
    bool validate = false;       // --validate: Khronos validation layer on
    std::string conv;            // --conv tiled|texel: the convolution kernels (empty: by device)
    gpu::ContextOptions context_options() const;
};

// Each registrar adds one subcommand whose callback does the work.
void add_devices_command(CLI::App& app, const GlobalOptions& global);
void add_selftest_command(CLI::App& app, const GlobalOptions& global);
void add_bench_command(CLI::App& app, const GlobalOptions& global);
void add_bench_models(CLI::App& bench, const GlobalOptions& global);   // a mode of `bench`
void add_train_command(CLI::App& app, const GlobalOptions& global);
void add_infer_command(CLI::App& app, const GlobalOptions& global);
void add_eval_command(CLI::App& app, const GlobalOptions& global);
void add_palette_command(CLI::App& app, const GlobalOptions& global);
void add_sweep_command(CLI::App& app, const GlobalOptions& global);
void add_activations_command(CLI::App& app, const GlobalOptions& global);

} // namespace vkcolor::cli
