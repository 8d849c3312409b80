// Image-quality metrics (metrics/image_quality.hpp): exact cases, the SSIM formula on images
// whose local statistics are known in closed form, and PyTorch golden values.
#include <catch2/catch.hpp>

#include <cmath>

#include "op_test.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/metrics/image_quality.hpp"
#include "vkcolor/data/synthetic.hpp"

using namespace vkcolor;

namespace {

const double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;

// SSIM's luminance term for local means a and b.
double luminance(double a, double b) { return (2 * a * b + c1) / (a * a + b * b + c1); }

HostTensor constant(Shape s, float v) { return HostTensor(s, v); }

} // namespace

TEST_CASE("image quality: identical images give SSIM exactly 1 and PSNR infinity", "[metrics]") {
    HostTensor a = data::synthetic_scenes(3, 7);   // 3 x 3 x 32 x 32
    CHECK(metrics::ssim(a, a) == 1.0);
    for (double v : metrics::ssim_per_channel(a, a)) CHECK(v == 1.0);
    CHECK(metrics::mean_squared_error(a, a) == 0.0);
    CHECK(std::isinf(metrics::psnr_from_mse(metrics::mean_squared_error(a, a))));
    metrics::ImageQuality q;
    q.add(a, a);
    CHECK(q.ssim() == 1.0);
    CHECK(std::isinf(q.psnr_db()));
}

TEST_CASE("image quality: PSNR is 10 log10(1 / MSE)", "[metrics]") {
    Shape s{2, 3, 12, 14};
    HostTensor a = constant(s, 0.25f), b = constant(s, 0.375f);   // MSE = 1/64 exactly
    CHECK(metrics::mean_squared_error(a, b) == 1.0 / 64);
    CHECK(metrics::psnr_from_mse(1.0 / 64) == Approx(10 * std::log10(64.0)).epsilon(1e-15));
}

TEST_CASE("SSIM of constant images is the luminance term (2ab + C1) / (a^2 + b^2 + C1)", "[metrics]") {
    Shape s{1, 3, 11, 17};
    for (auto [a, b] : {std::pair{0.25f, 0.75f}, std::pair{0.5f, 0.5f}, std::pair{0.0f, 0.9f}, std::pair{0.1f, 0.2f}}) {
        INFO(a << " vs " << b);
        CHECK(metrics::ssim(constant(s, a), constant(s, b)) == Approx(luminance(a, b)).epsilon(1e-12));
    }
}

TEST_CASE("SSIM of a ramp and the ramp plus a constant is the mean luminance term of the window centres", "[metrics]") {
    // x = (8 + column) / 64 (exact in float), y = x + 1/8. A symmetric window's weighted mean of a
    // linear function is its value at the centre, and x and y have the same local variance and
    // covariance, so the contrast-structure term is 1 and each window contributes
    // luminance(x_centre, x_centre + 1/8).
    const uint32_t h = 16, w = 40, half = metrics::k_ssim_window / 2;
    HostTensor x(Shape{1, 1, h, w}), y(Shape{1, 1, h, w});
    for (uint32_t r = 0; r < h; ++r)
        for (uint32_t c = 0; c < w; ++c) {
            x.at(0, 0, r, c) = float(8 + c) / 64;
            y.at(0, 0, r, c) = float(8 + c) / 64 + 0.125f;
        }
    double want = 0;
    for (uint32_t c = half; c < w - half; ++c) want += luminance((8.0 + c) / 64, (8.0 + c) / 64 + 0.125);
    want /= w - 2 * half;
    CHECK(metrics::ssim(x, y) == Approx(want).epsilon(1e-10));
    CHECK(metrics::ssim(x, y) < 0.99);   // the offset is seen
}

TEST_CASE("SSIM and PSNR match an independent PyTorch implementation", "[metrics][golden]") {
    for (const char* name : {"ssim_noisy_3x32x40", "ssim_random", "ssim_structured", "ssim_small_1x11x13"}) {
        INFO(name);
        auto g = test::load_golden(name);
        const HostTensor &x = g["x"], &y = g["y"];
        auto per_channel = metrics::ssim_per_channel(x, y);
        const auto& want = g["ssim_per_channel"].data;
        REQUIRE(per_channel.size() == want.size());
        for (size_t i = 0; i < want.size(); ++i) {
            INFO("image " << i / x.shape.c << " channel " << i % x.shape.c << ": " << per_channel[i] << " vs " << want[i]);
            CHECK(std::fabs(per_channel[i] - want[i]) < 1e-6);
        }
        CHECK(std::fabs(metrics::ssim(x, y) - g["ssim"].data[0]) < 1e-6);
        CHECK(std::fabs(metrics::psnr_from_mse(metrics::mean_squared_error(x, y)) - g["psnr"].data[0]) < 1e-5);
        // SSIM is symmetric in its two images.
        CHECK(std::fabs(metrics::ssim(y, x) - metrics::ssim(x, y)) < 1e-12);
    }
}

TEST_CASE("image quality summed over batches equals the whole set at once", "[metrics]") {
    HostTensor a = data::synthetic_scenes(5, 1), b = data::synthetic_scenes(5, 2);
    metrics::ImageQuality q;
    const size_t image = 3 * 32 * 32;
    for (auto [first, count] : {std::pair{0u, 2u}, std::pair{2u, 3u}}) {   // batches of 2 and 3
        HostTensor pa(Shape{count, 3, 32, 32}), pb(Shape{count, 3, 32, 32});
        std::copy_n(a.data.begin() + first * image, count * image, pa.data.begin());
        std::copy_n(b.data.begin() + first * image, count * image, pb.data.begin());
        q.add(pa, pb);
    }
    CHECK(q.images() == 5);
    CHECK(q.ssim() == Approx(metrics::ssim(a, b)).epsilon(1e-12));
    CHECK(q.mse() == Approx(metrics::mean_squared_error(a, b)).epsilon(1e-12));
    CHECK(q.psnr_db() == Approx(metrics::psnr_from_mse(metrics::mean_squared_error(a, b))).epsilon(1e-12));
}

TEST_CASE("SSIM refuses images smaller than its window and images of different shapes", "[metrics]") {
    auto too_small = [](Shape s) { return metrics::ssim(HostTensor(s), HostTensor(s)); };
    CHECK_THROWS_WITH(too_small({1, 3, 10, 32}), Catch::Contains("at least 11x11") && Catch::Contains("32x10"));
    CHECK_THROWS_WITH(too_small({1, 3, 32, 10}), Catch::Contains("at least 11x11"));
    CHECK_NOTHROW(too_small({1, 3, 11, 11}));
    CHECK_THROWS_AS(metrics::ssim(HostTensor({1, 3, 16, 16}), HostTensor({1, 3, 16, 17})), Error);
    CHECK_THROWS_AS(metrics::mean_squared_error(HostTensor({1, 3, 16, 16}), HostTensor({1, 1, 16, 16})), Error);
}
