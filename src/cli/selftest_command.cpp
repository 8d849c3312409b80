// `vkcolor selftest`: every op's shaders against the CPU reference on the user's own device.
#include <chrono>
#include <cstdio>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/gpu/error.hpp"

namespace vkcolor::cli {

void add_selftest_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("selftest", "check every op's shaders against the CPU reference on this device");
    struct Opts {
        std::vector<std::string> ops;
        bool json = false;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("--op", o->ops, "only these ops (repeatable)");
    cmd->add_flag("--json", o->json, "print JSON instead of a table");
    cmd->callback([&global, o] {
        gpu::Context ctx(global.context_options());
        std::vector<const check::OpCheck*> checks;
        if (o->ops.empty())
            for (const auto& c : check::all_op_checks()) checks.push_back(&c);
        else
            for (const auto& name : o->ops) checks.push_back(&check::find_op_check(name));

        if (!o->json)
            std::printf("device %u: %s (%s)\n\n%-20s %-5s %6s  %-12s %s\n", ctx.info().index, ctx.info().name.c_str(),
                        ctx.info().driver.c_str(), "op", "pass", "cases", "worst error", "worst case");
        nlohmann::json doc = {{"device", ctx.info().name}, {"driver", ctx.info().driver}, {"ops", nlohmann::json::array()}};
        int failed = 0;
        for (const auto* c : checks) {
            auto results = c->run(ctx);
            // The output closest to (or furthest past) its tolerance, over every case.
            const check::CaseResult* worst_case = nullptr;
            const check::Comparison* worst = nullptr;
            bool pass = true;
            for (const auto& r : results) {
                pass &= r.pass();
                for (const auto& out : r.outputs)
                    if (!worst || out.ratio() > worst->ratio() || (out.ratio() == worst->ratio() && out.error > worst->error))
                        worst = &out, worst_case = &r;
            }
            failed += !pass;
            std::string worst_desc = worst ? worst_case->shape + " " + worst->output : "";
            double worst_error = worst ? worst->error : 0;
            if (o->json) {
                nlohmann::json cases = nlohmann::json::array();
                for (const auto& r : results) {
                    nlohmann::json outs = nlohmann::json::object();
                    for (const auto& out : r.outputs) outs[out.output] = {{"error", out.error}, {"tolerance", out.tolerance}};
                    cases.push_back({{"case", r.shape}, {"pass", r.pass()}, {"outputs", outs}});
                }
                doc["ops"].push_back({{"op", c->op}, {"pass", pass}, {"cases", cases}});
            } else {
                std::printf("%-20s %-5s %6zu  %-12.2e %s\n", c->op.c_str(), pass ? "ok" : "FAIL", results.size(),
                            worst_error, worst_desc.c_str());
                std::fflush(stdout);
            }
        }
        auto messages = ctx.instance().validation_message_count();
        if (o->json) {
            doc["pass"] = failed == 0 && messages == 0;
            std::printf("%s\n", doc.dump(2).c_str());
        } else {
            std::printf("\n%zu ops, %d failed%s\n", checks.size(), failed,
                        ctx.instance().validation_enabled() ? (", " + std::to_string(messages) + " validation messages").c_str() : "");
        }
        if (failed) throw Error(std::to_string(failed) + " op(s) failed the selftest on " + ctx.info().name);
        if (messages) throw Error("the validation layer reported " + std::to_string(messages) + " message(s)");
    });
}

} // namespace vkcolor::cli
