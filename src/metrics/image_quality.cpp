#include "vkcolor/metrics/image_quality.hpp"

#include <array>
#include <cmath>
#include <string>

#include "vkcolor/gpu/error.hpp"

namespace vkcolor::metrics {

namespace {

void require_same_shape(const char* what, const HostTensor& a, const HostTensor& b) {
    if (!(a.shape == b.shape) || a.data.size() != a.shape.count() || b.data.size() != b.shape.count())
        throw Error(std::string(what) + ": the images have different shapes (" + a.shape.str() + " and " + b.shape.str() + ")");
}

// The 1-D Gaussian of the window, normalised to sum 1; the 2-D window is its outer product.
std::array<double, k_ssim_window> gaussian_window() {
    std::array<double, k_ssim_window> g{};
    double sum = 0;
    for (uint32_t i = 0; i < k_ssim_window; ++i) {
        double d = double(i) - double(k_ssim_window / 2);
        g[i] = std::exp(-d * d / (2 * k_ssim_sigma * k_ssim_sigma));
        sum += g[i];
    }
    for (auto& v : g) v /= sum;
    return g;
}

// The window-weighted mean of `plane` (h x w, row-major) at every valid window position:
// (h - 10) x (w - 10) values. Separable: along rows, then along columns.
std::vector<double> filter_valid(const std::vector<double>& plane, uint32_t h, uint32_t w,
                                 const std::array<double, k_ssim_window>& g) {
    const uint32_t k = k_ssim_window, ow = w - k + 1, oh = h - k + 1;
    std::vector<double> rows(size_t(h) * ow), out(size_t(oh) * ow);
    for (uint32_t y = 0; y < h; ++y)
        for (uint32_t x = 0; x < ow; ++x) {
            double s = 0;
            for (uint32_t i = 0; i < k; ++i) s += g[i] * plane[size_t(y) * w + x + i];
            rows[size_t(y) * ow + x] = s;
        }
    for (uint32_t y = 0; y < oh; ++y)
        for (uint32_t x = 0; x < ow; ++x) {
            double s = 0;
            for (uint32_t i = 0; i < k; ++i) s += g[i] * rows[size_t(y + i) * ow + x];
            out[size_t(y) * ow + x] = s;
        }
    return out;
}

// The mean of the SSIM map of one channel (two h x w planes).
double ssim_plane(const float* a, const float* b, uint32_t h, uint32_t w, const std::array<double, k_ssim_window>& g) {
    const size_t n = size_t(h) * w;
    std::vector<double> x(n), y(n), xx(n), yy(n), xy(n);
    for (size_t i = 0; i < n; ++i) {
        x[i] = a[i], y[i] = b[i];
        xx[i] = x[i] * x[i], yy[i] = y[i] * y[i], xy[i] = x[i] * y[i];
    }
    auto mu_x = filter_valid(x, h, w, g), mu_y = filter_valid(y, h, w, g);
    auto e_xx = filter_valid(xx, h, w, g), e_yy = filter_valid(yy, h, w, g), e_xy = filter_valid(xy, h, w, g);
    const double c1 = (k_ssim_k1 * k_data_range) * (k_ssim_k1 * k_data_range);
    const double c2 = (k_ssim_k2 * k_data_range) * (k_ssim_k2 * k_data_range);
    double sum = 0;
    for (size_t i = 0; i < mu_x.size(); ++i) {
        const double mxx = mu_x[i] * mu_x[i], myy = mu_y[i] * mu_y[i], mxy = mu_x[i] * mu_y[i];
        const double sxx = e_xx[i] - mxx, syy = e_yy[i] - myy, sxy = e_xy[i] - mxy;
        // Written so that identical planes give num == den bit for bit (2 v == v + v exactly).
        sum += ((2 * mxy + c1) * (2 * sxy + c2)) / ((mxx + myy + c1) * (sxx + syy + c2));
    }
    return sum / double(mu_x.size());
}

double sum_squared_error(const HostTensor& a, const HostTensor& b) {
    require_same_shape("mean_squared_error", a, b);
    double s = 0;
    for (size_t i = 0; i < a.data.size(); ++i) {
        const double d = double(a.data[i]) - double(b.data[i]);
        s += d * d;
    }
    return s;
}

} // namespace

double mean_squared_error(const HostTensor& a, const HostTensor& b) {
    const double s = sum_squared_error(a, b);
    return a.data.empty() ? 0.0 : s / double(a.data.size());
}

double psnr_from_mse(double mse) { return mse > 0 ? 10.0 * std::log10(k_data_range * k_data_range / mse) : INFINITY; }

std::vector<double> ssim_per_channel(const HostTensor& a, const HostTensor& b) {
    require_same_shape("SSIM", a, b);
    const Shape& s = a.shape;
    if (s.h < k_ssim_window || s.w < k_ssim_window)
        throw Error("SSIM needs images of at least " + std::to_string(k_ssim_window) + "x" + std::to_string(k_ssim_window) +
                    " pixels (its Gaussian window); these are " + std::to_string(s.w) + "x" + std::to_string(s.h));
    const auto g = gaussian_window();
    const size_t plane = size_t(s.h) * s.w;
    std::vector<double> out(size_t(s.n) * s.c);
    for (size_t p = 0; p < out.size(); ++p)
        out[p] = ssim_plane(a.data.data() + p * plane, b.data.data() + p * plane, s.h, s.w, g);
    return out;
}

std::vector<double> ssim_per_image(const HostTensor& a, const HostTensor& b) {
    auto channels = ssim_per_channel(a, b);
    const uint32_t c = a.shape.c;
    std::vector<double> out(a.shape.n);
    for (uint32_t n = 0; n < a.shape.n; ++n) {
        double s = 0;
        for (uint32_t k = 0; k < c; ++k) s += channels[size_t(n) * c + k];
        out[n] = s / c;
    }
    return out;
}

double ssim(const HostTensor& a, const HostTensor& b) {
    auto images = ssim_per_image(a, b);
    double s = 0;
    for (double v : images) s += v;
    return images.empty() ? 0.0 : s / double(images.size());
}

void ImageQuality::add(const HostTensor& prediction, const HostTensor& truth) {
    squared_error_ += sum_squared_error(prediction, truth);
    for (double v : ssim_per_image(prediction, truth)) ssim_sum_ += v;
    values_ += prediction.data.size();
    images_ += prediction.shape.n;
}

} // namespace vkcolor::metrics
