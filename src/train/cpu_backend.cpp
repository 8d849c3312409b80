// The training loop's CPU backend: the CPU reference, one batch at a time.
#include <cstring>

#include "vkcolor/model/cpu_model.hpp"
#include "vkcolor/train/backend.hpp"

namespace vkcolor::train {

namespace {

class CpuBackend final : public Backend {
public:
    CpuBackend(const model::Graph& graph, const model::StateDict& state, const optim::OptimizerConfig& optimizer)
        : model_(graph, state, optimizer), optimizer_(optimizer) {}

    std::string name() const override { return "CPU reference (no GPU used)"; }

    std::vector<model::StepResult> train_epoch(const data::Dataset& data, uint32_t batch, const StepCallback& cb) override {
        std::vector<model::StepResult> results;
        for (uint32_t b = 0; b < data.batch_count(batch); ++b) {
            data::Batch x = data.batch(b, batch);
            results.push_back(model_.train_step(x.input, x.target));
            if (cb) cb(b, results.back());
        }
        return results;
    }

    std::vector<model::StepResult> evaluate(const data::Dataset& data, uint32_t batch, const OutputCallback& on_output) override {
        std::vector<model::StepResult> results;
        HostTensor output;
        for (uint32_t b = 0; b < data.batch_count(batch); ++b) {
            data::Batch x = data.batch(b, batch);
            results.push_back(model_.evaluate(x.input, x.target, on_output ? &output : nullptr));
            if (on_output) on_output(b, output);
        }
        return results;
    }

    HostTensor predict(const HostTensor& input) override { return model_.infer(input); }

    std::vector<HostTensor> activations(const HostTensor& input, const std::vector<std::string>& nodes) override {
        for (const auto& n : nodes) model_.graph().node(n);   // refuses a name the graph lacks
        model_.infer(input);
        std::vector<HostTensor> out;
        for (const auto& n : nodes) out.push_back(model_.tensor(model::act_name(n)));
        return out;
    }

    model::StateDict state() override { return model_.state(); }

    TrainState train_state() override {
        TrainState s;
        s.optimizer = optimizer_;
        s.optimizer_state = model_.optimizer_state();
        return s;
    }

    void load_train_state(const TrainState& s) override { model_.set_optimizer_state(s.optimizer_state); }

private:
    model::CpuModel model_;
    optim::OptimizerConfig optimizer_;
};

} // namespace

std::unique_ptr<Backend> make_cpu_backend(const model::Graph& graph, const model::StateDict& state,
                                          const optim::OptimizerConfig& optimizer) {
    return std::make_unique<CpuBackend>(graph, state, optimizer);
}

} // namespace vkcolor::train
