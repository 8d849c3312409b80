// The training loop's GPU backend: batches flow through two staging slots so that the host
// prepares batch k+1 while the GPU runs step k; a step's loss is read when its slot is reused.
#include <cstring>

#include "vkcolor/gpu/error.hpp"
#include "vkcolor/train/backend.hpp"

namespace vkcolor::train {

namespace {

class GpuBackend final : public Backend {
public:
    GpuBackend(gpu::Context& ctx, const model::Graph& graph, const model::StateDict& state,
               const optim::OptimizerConfig& optimizer)
        : model_(ctx, graph, state, optimizer) {}

    std::string name() const override {
        const auto& ctx = model_.context();
        return "GPU (device " + std::to_string(ctx.info().index) + ": " + ctx.info().name + ")";
    }

    std::vector<model::StepResult> train_epoch(const data::Dataset& data, uint32_t batch, const StepCallback& cb) override {
        return run(data, batch, model::PassMode::Train, cb, nullptr);
    }

    std::vector<model::StepResult> evaluate(const data::Dataset& data, uint32_t batch, const OutputCallback& on_output) override {
        return run(data, batch, model::PassMode::Eval, nullptr, on_output);
    }

    HostTensor predict(const HostTensor& input) override {
        auto& pass = model_.pass(input.shape, model::PassMode::Infer);
        std::memcpy(pass.input(0), input.data.data(), input.shape.bytes());
        pass.submit(0);
        return pass.output(0);
    }

    std::vector<HostTensor> activations(const HostTensor& input, const std::vector<std::string>& nodes) override {
        for (const auto& n : nodes) model_.graph().node(n);   // refuses a name the graph lacks
        auto& pass = model_.pass(input.shape, model::PassMode::Infer);
        std::memcpy(pass.input(0), input.data.data(), input.shape.bytes());
        pass.submit(0);
        pass.wait(0);
        std::vector<HostTensor> out;
        for (const auto& n : nodes) out.push_back(pass.tensor(model::act_name(n)).download_host(model_.context()));
        return out;
    }

    model::StateDict state() override { return model_.state(); }

    TrainState train_state() override {
        TrainState s;
        s.optimizer = model_.optimizer().config();
        s.optimizer_state = model_.optimizer_state();
        return s;
    }

    void load_train_state(const TrainState& s) override { model_.load_optimizer_state(s.optimizer_state); }

private:
    std::vector<model::StepResult> run(const data::Dataset& data, uint32_t batch, model::PassMode mode,
                                       const StepCallback& cb, const OutputCallback& on_output) {
        const uint32_t batches = data.batch_count(batch);
        std::vector<model::StepResult> results(batches);
        model::GpuPass* pass = nullptr;
        int pending_batch[2] = {-1, -1};
        // Collects the result of whatever batch the slot last ran.
        auto collect = [&](model::GpuPass& p, int slot) {
            if (pending_batch[slot] < 0) return;
            results[pending_batch[slot]] = p.wait(slot);
            if (cb) cb(static_cast<uint32_t>(pending_batch[slot]), results[pending_batch[slot]]);
            if (on_output) on_output(static_cast<uint32_t>(pending_batch[slot]), p.output(slot));
            pending_batch[slot] = -1;
        };
        for (uint32_t b = 0; b < batches; ++b) {
            data::Batch x = data.batch(b, batch);
            model::GpuPass& p = model_.pass(x.input.shape, mode);
            if (pass && pass != &p)   // a new shape (the last, smaller batch): drain the old pass first
                for (int s = 0; s < 2; ++s) collect(*pass, (b + s) % 2);
            pass = &p;
            int slot = static_cast<int>(b % 2);
            collect(p, slot);   // the step that used this slot two batches ago
            std::memcpy(p.input(slot), x.input.data.data(), x.input.shape.bytes());
            std::memcpy(p.target(slot), x.target.data.data(), x.target.shape.bytes());
            p.submit(slot);
            pending_batch[slot] = static_cast<int>(b);
        }
        if (pass)
            for (uint32_t s = 0; s < 2; ++s) collect(*pass, (batches + s) % 2);
        return results;
    }

    model::GpuModel model_;
};

} // namespace

std::unique_ptr<Backend> make_gpu_backend(gpu::Context& ctx, const model::Graph& graph, const model::StateDict& state,
                                          const optim::OptimizerConfig& optimizer) {
    return std::make_unique<GpuBackend>(ctx, graph, state, optimizer);
}

} // namespace vkcolor::train
