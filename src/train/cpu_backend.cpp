// The training loop's CPU backend: the CPU reference, one batch at a time.
#include <cstring>

#include "vkcolor/model/cpu_model.hpp"
#include "vkcolor/train/backend.hpp"

namespace vkcolor::train {

namespace {

class CpuBackend final : public Backend {
public:
    CpuBackend(const model::Graph& graph, const model::StateDict& state, const optim::AdamOptions& adam)
        : model_(graph, state, adam) {}

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

    std::vector<model::StepResult> evaluate(const data::Dataset& data, uint32_t batch) override {
        std::vector<model::StepResult> results;
        for (uint32_t b = 0; b < data.batch_count(batch); ++b) {
            data::Batch x = data.batch(b, batch);
            results.push_back(model_.evaluate(x.input, x.target));
        }
        return results;
    }

    HostTensor predict(const HostTensor& input) override { return model_.infer(input); }

    model::StateDict state() override { return model_.state(); }

    // The CPU keeps only t; the words follow the GPU state's layout {lr, t, ...} so that a
    // training state file has one format.
    TrainState train_state() override {
        TrainState s;
        s.adam_step_state.assign(8, 0);
        s.adam_step_state[1] = model_.adam_step();
        s.exp_avg = model_.exp_avg();
        s.exp_avg_sq = model_.exp_avg_sq();
        return s;
    }

    void load_train_state(const TrainState& s) override {
        model_.set_optimizer_state(s.adam_step_state.size() > 1 ? s.adam_step_state[1] : 0, s.exp_avg, s.exp_avg_sq);
    }

private:
    model::CpuModel model_;
};

} // namespace

std::unique_ptr<Backend> make_cpu_backend(const model::Graph& graph, const model::StateDict& state,
                                          const optim::AdamOptions& adam) {
    return std::make_unique<CpuBackend>(graph, state, adam);
}

} // namespace vkcolor::train
