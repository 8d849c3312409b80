#pragma once
// Small training sets for the GPU-vs-CPU training tests: synthetic scenes made into the inputs and
// targets of a model's task (RGB targets for regression, colour classes for the classifiers, ...).
#include "vkcolor/data/dataset.hpp"
#include "vkcolor/data/synthetic.hpp"
#include "vkcolor/model/graph.hpp"

namespace vkcolor::test {

inline data::TrainValidation small_sets(uint32_t train, uint32_t validation, const model::ModelConfig& config,
                                        uint32_t seed = 3) {
    data::DatasetOptions d;
    d.seed = seed;
    d.task = model::task_of(config);
    return data::make_train_validation(data::synthetic_scenes(train, seed), data::synthetic_scenes(validation, seed, train),
                                       data::default_palette(), d);
}

} // namespace vkcolor::test
