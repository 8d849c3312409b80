// LeakyReLU, Sigmoid, Tanh (shaders leaky_relu_forward, leaky_relu_backward, sigmoid_forward,
// sigmoid_backward, tanh_forward, tanh_backward): GPU vs CPU, finite differences, PyTorch golden.
#include <catch2/catch.hpp>

#include <cmath>

#include "gpu_fixture.hpp"
#include "op_test.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/layers/activations.hpp"

using namespace vkcolor;
namespace cpu = vkcolor::layers::cpu;

namespace {
struct GpuResult {
    std::vector<float> y, dx;
};

// Forward of x, then the backward of dy from x (LeakyReLU) or from the GPU's own y (the others).
template <class Forward, class Backward>
GpuResult run_gpu(const HostTensor& x, const HostTensor& dy, bool backward_from_input, Forward forward,
                  Backward backward) {
    auto& ctx = test::gpu();
    Tensor gx = check::to_gpu(ctx, x), gdy = check::to_gpu(ctx, dy), gy(ctx, x.shape), gdx(ctx, x.shape);
    gpu::Recording rec(ctx);
    forward(rec, gx, gy);
    backward(rec, backward_from_input ? gx : gy, gdy, gdx);
    rec.finish();
    ctx.run(rec);
    return {gy.download(ctx), gdx.download(ctx)};
}

void check_gpu_golden(const test::Golden& g, const GpuResult& got) {
    CHECK(check::relative_error(got.y, g["y"].data) < check::k_forward_tolerance);
    CHECK(check::relative_error(got.dx, g["dx"].data) < check::k_backward_tolerance);
    test::require_no_validation_messages();
}
} // namespace

TEST_CASE("leaky_relu: GPU matches the CPU reference", "[gpu][leaky_relu]") {
    test::require_op_check_passes("leaky_relu");
}
TEST_CASE("sigmoid: GPU matches the CPU reference", "[gpu][sigmoid]") { test::require_op_check_passes("sigmoid"); }
TEST_CASE("tanh: GPU matches the CPU reference", "[gpu][tanh]") { test::require_op_check_passes("tanh"); }

TEST_CASE("leaky_relu: CPU backward matches finite differences", "[leaky_relu][fd]") {
    HostTensor x = check::random_tensor({2, 3, 5, 7}, 7);
    for (auto& v : x.data)   // keep away from the kink at 0, where the derivative jumps
        if (std::fabs(v) < 0.05f) v = 0.5f;
    HostTensor g = check::random_tensor(x.shape, 8);
    for (float slope : {0.01f, 0.2f, -0.5f}) {
        auto f = [&](const HostTensor& in) { return test::dot(cpu::leaky_relu_forward(in, slope), g); };
        HostTensor dx = cpu::leaky_relu_backward(x, g, slope);
        CHECK(test::finite_difference_error(f, x, dx, 1e-2f, 210) < 1e-3);
    }
}

TEST_CASE("sigmoid and tanh: CPU backwards match finite differences", "[sigmoid][tanh][fd]") {
    HostTensor x = check::random_tensor({2, 3, 5, 7}, 9, -3.0f, 3.0f), g = check::random_tensor(x.shape, 10);
    auto fs = [&](const HostTensor& in) { return test::dot(cpu::sigmoid_forward(in), g); };
    CHECK(test::finite_difference_error(fs, x, cpu::sigmoid_backward(cpu::sigmoid_forward(x), g), 1e-2f, 210) < 1e-3);
    auto ft = [&](const HostTensor& in) { return test::dot(cpu::tanh_forward(in), g); };
    CHECK(test::finite_difference_error(ft, x, cpu::tanh_backward(cpu::tanh_forward(x), g), 1e-2f, 210) < 1e-3);
}

TEST_CASE("leaky_relu: CPU reference and GPU match PyTorch, slope gradient at 0", "[gpu][leaky_relu][golden]") {
    auto g = test::load_golden("leaky_relu");
    float slope = g.params["negative_slope"].get<float>();
    HostTensor y = cpu::leaky_relu_forward(g["x"], slope), dx = cpu::leaky_relu_backward(g["x"], g["dy"], slope);
    CHECK(check::relative_error(y.data, g["y"].data) < check::k_forward_tolerance);
    CHECK(check::relative_error(dx.data, g["dx"].data) < check::k_backward_tolerance);
    REQUIRE(g["x"].data[0] == 0.0f);   // PyTorch's convention: x = 0 takes the slope
    CHECK(dx.data[0] == slope * g["dy"].data[0]);
    check_gpu_golden(g, run_gpu(
                            g["x"], g["dy"], true,
                            [&](gpu::Recording& r, const Tensor& a, const Tensor& b) { layers::leaky_relu_forward(r, a, b, slope); },
                            [&](gpu::Recording& r, const Tensor& a, const Tensor& b, const Tensor& c) {
                                layers::leaky_relu_backward(r, a, b, c, slope);
                            }));
}

TEST_CASE("sigmoid: CPU reference and GPU match PyTorch, saturating for large |x|", "[gpu][sigmoid][golden]") {
    auto g = test::load_golden("sigmoid");
    HostTensor y = cpu::sigmoid_forward(g["x"]);
    CHECK(check::relative_error(y.data, g["y"].data) < check::k_forward_tolerance);
    CHECK(check::relative_error(cpu::sigmoid_backward(y, g["dy"]).data, g["dx"].data) < check::k_backward_tolerance);
    auto got = run_gpu(g["x"], g["dy"], false, layers::sigmoid_forward, layers::sigmoid_backward);
    check_gpu_golden(g, got);
    const auto& x = g["x"].data;
    for (size_t i = 0; i < x.size(); ++i) {
        INFO("x = " << x[i] << ", y = " << got.y[i]);
        if (x[i] >= 30.0f) CHECK(got.y[i] == 1.0f);
        if (x[i] <= -30.0f) CHECK((got.y[i] >= 0.0f && got.y[i] < 1e-12f));
    }
}

TEST_CASE("tanh: CPU reference and GPU match PyTorch, saturating for large |x|", "[gpu][tanh][golden]") {
    auto g = test::load_golden("tanh");
    HostTensor y = cpu::tanh_forward(g["x"]);
    CHECK(check::relative_error(y.data, g["y"].data) < check::k_forward_tolerance);
    CHECK(check::relative_error(cpu::tanh_backward(y, g["dy"]).data, g["dx"].data) < check::k_backward_tolerance);
    auto got = run_gpu(g["x"], g["dy"], false, layers::tanh_forward, layers::tanh_backward);
    check_gpu_golden(g, got);
    const auto& x = g["x"].data;
    for (size_t i = 0; i < x.size(); ++i) {
        INFO("x = " << x[i] << ", y = " << got.y[i]);
        if (std::fabs(x[i]) >= 12.0f) CHECK(got.y[i] == std::copysign(1.0f, x[i]));
        // Near 0 the series keeps the relative error small (1 - exp(-2|x|) would cancel).
        if (x[i] != 0.0f && std::fabs(x[i]) < 0.1f)
            CHECK(std::fabs(got.y[i] - g["y"].data[i]) <= 1e-6 * std::fabs(g["y"].data[i]));
    }
}
