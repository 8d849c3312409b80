// The largest shapes users run, on the GPU against the CPU reference: a guard against lavapipe's
// loop limiter (Mesa before 25.1 silently ends a loop after 65535 back-edges per invocation,
// ../shared/docs/lavapipe-codegen.md), which only shows on big images and long reductions, and
// against any kernel whose grid or chunking goes wrong past the sizes the op checks use.
#include <catch2/catch.hpp>

#include <cmath>

#include "gpu_fixture.hpp"
#include "training_helpers.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/data/palette.hpp"
#include "vkcolor/train/backend.hpp"

using namespace vkcolor;

TEST_CASE("a 1024x768 photo through the UNet on the GPU equals the CPU reference", "[gpu][infer][large]") {
    auto& ctx = test::gpu();
    model::ModelConfig config{.model = "unet", .num_filters = 4};
    model::Graph g = model::build_preset(config);
    auto state = model::init_parameters(g, 0);
    auto gpu = train::make_gpu_backend(ctx, g, state, {});
    auto cpu = train::make_cpu_backend(g, state, {});
    // 786432 pixels: every element-wise grid, pooling and convolution runs far past 65535 items.
    HostTensor grey = check::random_tensor({1, 1, 768, 1024}, 11, 0.0f, 0.99f);
    HostTensor out = gpu->predict(grey), ref = cpu->predict(grey);
    REQUIRE(out.shape == ref.shape);
    CHECK(check::relative_error(out.data, ref.data) < check::k_backward_tolerance);
    test::require_no_validation_messages();
}

TEST_CASE("a training step on two 384x512 images agrees on the GPU and the CPU reference", "[gpu][training][large]") {
    auto& ctx = test::gpu();
    model::ModelConfig config{.model = "unet", .num_filters = 4};
    model::Graph g = model::build_preset(config);
    auto state = model::init_parameters(g, 0);
    // Plain SGD with a large rate, so that the weights after the step are mostly the gradient and
    // show its errors. (After one Adam step every weight has moved by about lr times the sign of
    // its gradient, and near-zero gradients whose sign rounding flips dominate the comparison.)
    optim::OptimizerConfig sgd;
    sgd.kind = optim::OptimizerKind::Sgd;
    sgd.lr = 100.0f;
    auto gpu = train::make_gpu_backend(ctx, g, state, sgd);
    auto cpu = train::make_cpu_backend(g, state, sgd);
    // Batch-norm statistics and gradients reduce over 393216 values a channel, the loss over
    // 393216 pixels, the weight gradients over as many output pixels.
    data::DatasetOptions d;
    d.task = model::task_of(config);
    auto sets = data::make_train_validation(check::random_tensor({2, 3, 384, 512}, 12, 0.0f, 0.99f),
                                            check::random_tensor({1, 3, 384, 512}, 13, 0.0f, 0.99f),
                                            data::default_palette(), d);
    auto rg = gpu->train_epoch(sets.train, 2, nullptr);
    auto rc = cpu->train_epoch(sets.train, 2, nullptr);
    REQUIRE(rg.size() == 1);
    REQUIRE(rc.size() == 1);
    CHECK(std::isfinite(rg[0].loss));
    CHECK(std::fabs(rg[0].loss - rc[0].loss) <= 1e-4 * std::fabs(rc[0].loss));
    test::check_weights_agree(g, gpu->state(), cpu->state(), sgd.lr, 1);
    test::require_no_validation_messages();
}
