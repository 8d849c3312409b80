// `vkcolor bench`: GPU timings. `bench ops` times each pass of every convolution of the UNet on
// its own, with GPU timestamps, replaying one recording several times. Other modes (whole
// training steps of a model) are further subcommands of `bench`.
#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/layers/conv2d.hpp"

namespace vkcolor::cli {

namespace {

struct OpsOptions {
    uint32_t batch = 100;
    int repeat = 5;
    bool json = false;
    bool skip_naive = false;
};

// The convolutions of the UNet (all 3 x 3, padding 1, stride 1) and the image size they see.
struct BenchConv {
    uint32_t in_channels, out_channels, size;
};
const std::vector<BenchConv> k_unet_convs = {
    {1, 32, 32}, {32, 64, 16}, {64, 64, 8}, {128, 32, 8}, {64, 24, 16}, {25, 24, 32},
};

struct Timing {
    std::string layer, pass, shaders;
    double ms = 0, gflops = 0;
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Times every pass of one convolution: one recording with a region per pass, replayed
// `repeat` times after a warm-up; the median of each region.
std::vector<Timing> time_conv(gpu::Context& ctx, const BenchConv& c, const OpsOptions& o) {
    layers::Conv2dParams p{c.in_channels, c.out_channels, 3, 1, 1, 1, true};
    Shape in{o.batch, c.in_channels, c.size, c.size}, out = p.output_shape(in);
    Tensor x = check::to_gpu(ctx, check::random_tensor(in, 1)), w = check::to_gpu(ctx, check::random_tensor(p.weight_shape(), 2));
    Tensor b = check::to_gpu(ctx, check::random_tensor(p.bias_shape(), 3)), dy = check::to_gpu(ctx, check::random_tensor(out, 4));
    Tensor y(ctx, out), dx(ctx, in), dw(ctx, p.weight_shape());

    struct Pass {
        const char* name;
        std::string shaders;
    };
    const std::vector<Pass> passes = {
        {"forward", layers::conv2d_shaders_for(ctx, "forward", in, p)},
        {"forward (naive)", "conv2d_forward_naive"},
        {"backward_input", layers::conv2d_shaders_for(ctx, "backward_input", in, p)},
        {"backward_weight", layers::conv2d_shaders_for(ctx, "backward_weight", in, p)},
    };
    gpu::Recording rec(ctx);
    if (!rec.timestamps_supported()) throw Error("the compute queue of " + ctx.info().name + " has no timestamps");
    for (const auto& pass : passes) {
        std::string name = pass.name;
        if (o.skip_naive && name == "forward (naive)") continue;
        rec.begin_region(pass.name);
        if (name == "forward") layers::conv2d_forward(rec, x, w, &b, y, p);
        if (name == "forward (naive)") layers::conv2d_forward_naive(rec, x, w, &b, y, p);
        if (name == "backward_input") layers::conv2d_backward_input(rec, dy, w, dx, p);
        if (name == "backward_weight") layers::conv2d_backward_weight(rec, x, dy, dw, p);
        rec.end_region();
    }
    rec.finish();
    ctx.run(rec);   // warm-up: lavapipe compiles shaders on first use
    std::map<std::string, std::vector<double>> samples;
    for (int i = 0; i < o.repeat; ++i) {
        ctx.run(rec);
        for (const auto& t : rec.region_times()) samples[t.name].push_back(t.milliseconds);
    }
    std::string layer = std::to_string(c.in_channels) + "->" + std::to_string(c.out_channels) + " @" +
                        std::to_string(c.size) + "x" + std::to_string(c.size);
    std::vector<Timing> timings;
    for (const auto& pass : passes) {
        if (o.skip_naive && std::string(pass.name) == "forward (naive)") continue;
        double ms = median(samples[pass.name]);
        timings.push_back({layer, pass.name, pass.shaders, ms, ms > 0 ? p.flops(in) / (ms * 1e6) : 0});
    }
    return timings;
}

void run_ops(gpu::Context& ctx, const OpsOptions& o) {
    const auto kernels = layers::conv2d_kernels(ctx);
    if (!o.json)
        std::printf("device %u: %s (%s)\nconvolution kernels: %s (%s)\nbatch %u, median of %d replays, 3x3 convolutions "
                    "of the UNet\n\n%-16s %-16s %10s %9s  %s\n",
                    ctx.info().index, ctx.info().name.c_str(), ctx.info().driver.c_str(), kernels.variant.c_str(),
                    kernels.reason.c_str(), o.batch, o.repeat, "layer", "pass", "ms", "GFLOP/s", "shaders");
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& c : k_unet_convs) {
        auto timings = time_conv(ctx, c, o);
        double naive_ms = 0, blocked_ms = 0;
        for (const auto& t : timings) {
            if (t.pass == "forward (naive)") naive_ms = t.ms;
            if (t.pass == "forward") blocked_ms = t.ms;
            rows.push_back({{"op", "conv2d"}, {"layer", t.layer}, {"pass", t.pass}, {"shaders", t.shaders},
                            {"ms", t.ms}, {"gflops", t.gflops}});
            if (!o.json)
                std::printf("%-16s %-16s %10.3f %9.2f  %s\n", t.layer.c_str(), t.pass.c_str(), t.ms, t.gflops,
                            t.shaders.c_str());
        }
        if (!o.json) {
            if (!o.skip_naive)
                std::printf("%-16s %-16s %10s %8.1fx  blocked forward vs naive\n", "", "", "",
                            blocked_ms > 0 ? naive_ms / blocked_ms : 0.0);
            std::printf("\n");
            std::fflush(stdout);
        }
    }
    if (o.json) {
        nlohmann::json doc = {{"device", ctx.info().name}, {"driver", ctx.info().driver},
                              {"conv_kernels", kernels.variant}, {"conv_kernels_reason", kernels.reason}, {"batch", o.batch},
                              {"repeat", o.repeat}, {"results", rows}};
        std::printf("%s\n", doc.dump(2).c_str());
    }
}

void add_bench_ops(CLI::App& bench, const GlobalOptions& global) {
    auto* cmd = bench.add_subcommand("ops", "time forward and backward passes of each UNet convolution");
    auto o = std::make_shared<OpsOptions>();
    cmd->add_option("--batch", o->batch, "batch size")->check(CLI::Range(1, 4096))->capture_default_str();
    cmd->add_option("--repeat", o->repeat, "timed replays (the median is shown)")->check(CLI::Range(1, 1000))
        ->capture_default_str();
    cmd->add_flag("--json", o->json, "print JSON instead of a table");
    cmd->add_flag("--skip-naive", o->skip_naive, "do not time the naive forward baseline");
    cmd->callback([&global, o] {
        gpu::Context ctx(global.context_options());
        run_ops(ctx, *o);
    });
}

} // namespace

void add_bench_command(CLI::App& app, const GlobalOptions& global) {
    auto* bench = app.add_subcommand("bench", "time shaders on this device with GPU timestamps");
    bench->require_subcommand(1);
    add_bench_ops(*bench, global);
    add_bench_models(*bench, global);
}

} // namespace vkcolor::cli
