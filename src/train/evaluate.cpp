#include "vkcolor/train/evaluate.hpp"

#include <algorithm>

#include "vkcolor/data/photo_output.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/train/samples.hpp"

namespace vkcolor::train {

Validation validate(Backend& backend, const data::Task& task, const data::Palette& palette, const data::Dataset& data,
                    uint32_t batch) {
    if (batch == 0) throw Error("--batch must be at least 1");
    Validation v;
    if (data::keeps_photo_luminance(task)) v.photo_quality.emplace();
    // The colour error of what a user would see: the predicted image against the true one, as
    // the network paints it and as infer writes it.
    v.batches = backend.evaluate(data, batch, [&](uint32_t b, const HostTensor& output) {
        data::Batch x = data.batch(b, batch);
        v.quality.add(data::task_output_rgb(task, palette, output, x.input), x.rgb);
        if (v.photo_quality) v.photo_quality->add(data::photo_output_rgb(task, palette, output, x.rgb, x.input), x.rgb);
    });
    return v;
}

EvalMetrics evaluate(Backend& backend, const data::Task& task, const data::Palette& palette, const data::Dataset& data,
                     uint32_t batch) {
    Validation v = validate(backend, task, palette, data, batch);
    EvalMetrics m;
    m.images = data.size();
    double correct = 0;
    for (const auto& r : v.batches) m.loss += r.loss, correct += r.correct;
    m.loss /= std::max<size_t>(1, v.batches.size());
    m.accuracy = 100.0 * correct / (double(data.size()) * 32 * 32);
    m.mse = v.quality.mse();
    m.psnr = v.quality.psnr_db();
    m.ssim = v.quality.ssim();
    if (v.photo_quality) {
        m.has_photo = true;
        m.photo_mse = v.photo_quality->mse();
        m.photo_psnr = v.photo_quality->psnr_db();
        m.photo_ssim = v.photo_quality->ssim();
    }
    return m;
}

} // namespace vkcolor::train
