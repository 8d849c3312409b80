#include "vkcolor/train/evaluate.hpp"

#include <cmath>

#include "vkcolor/gpu/error.hpp"
#include "vkcolor/layers/common.hpp"
#include "vkcolor/train/samples.hpp"

namespace vkcolor::train {

double mean_squared_error(const HostTensor& a, const HostTensor& b) {
    layers::require_same_shape("mean_squared_error", a.shape, b.shape);
    double s = 0;
    for (size_t i = 0; i < a.data.size(); ++i) s += (double(a.data[i]) - b.data[i]) * (double(a.data[i]) - b.data[i]);
    return a.data.empty() ? 0.0 : s / a.data.size();
}

double psnr_from_mse(double mse) { return mse > 0 ? 10.0 * std::log10(1.0 / mse) : INFINITY; }

EvalMetrics evaluate(Backend& backend, const data::Task& task, const data::Palette& palette, const data::Dataset& data,
                     uint32_t batch) {
    if (batch == 0) throw Error("--batch must be at least 1");
    EvalMetrics m;
    m.images = data.size();
    auto results = backend.evaluate(data, batch);
    double correct = 0;
    for (const auto& r : results) m.loss += r.loss, correct += r.correct;
    m.loss /= std::max<size_t>(1, results.size());
    m.accuracy = 100.0 * correct / (double(data.size()) * 32 * 32);
    // The colour error of what a user would see: the predicted image against the true one.
    double sq = 0;
    size_t count = 0;
    for (uint32_t b = 0; b < data.batch_count(batch); ++b) {
        data::Batch x = data.batch(b, batch);
        HostTensor rgb = data::task_output_rgb(task, palette, backend.predict(x.input), x.input);
        sq += mean_squared_error(rgb, x.rgb) * rgb.data.size();
        count += rgb.data.size();
    }
    m.mse = count ? sq / count : 0.0;
    m.psnr = psnr_from_mse(m.mse);
    return m;
}

} // namespace vkcolor::train
