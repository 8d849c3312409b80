#pragma once
// Image-quality metrics of predicted colour images against the true ones: MSE, PSNR and SSIM.
// CPU only (they measure results; they are not part of training). Images are N x C x H x W on
// vkcolor's pixel/256 scale, so the data range L is 1.
//
// PSNR = 10 log10(L^2 / MSE) in dB, infinite for identical images. Over a data set it is the PSNR
// of the MSE of all pixels together (not a mean of per-image PSNRs, which infinite values break).
//
// SSIM (Wang, Bovik, Sheikh, Simoncelli 2004), with the paper's standard setup, as Wang's
// reference ssim.m and pytorch_msssim (win_size 11, its defaults) compute it:
//   - a Gaussian window of 11 x 11 pixels, sigma 1.5, normalised to sum 1 (applied separably);
//   - K1 = 0.01, K2 = 0.03, L = 1: C1 = (K1 L)^2, C2 = (K2 L)^2;
//   - local statistics mu_x, mu_y, sigma_x^2 = E[x^2] - mu_x^2, sigma_y^2, sigma_xy = E[xy] - mu_x mu_y
//     (the window-weighted, biased ones) at 'valid' window positions only: no padding, so an
//     H x W image gives an (H - 10) x (W - 10) SSIM map;
//   - SSIM map = (2 mu_x mu_y + C1)(2 sigma_xy + C2) / ((mu_x^2 + mu_y^2 + C1)(sigma_x^2 + sigma_y^2 + C2));
//   - each channel of each image (R, G, B separately, no colour conversion) is averaged over its
//     map; an image's SSIM is the mean over its channels, a set's the mean over its images.
// Images smaller than 11 pixels in either dimension have no valid window: vkcolor::Error.
// Everything is accumulated in double. Identical images give exactly 1.
#include <cstdint>
#include <vector>

#include "vkcolor/tensor.hpp"

namespace vkcolor::metrics {

inline constexpr double k_data_range = 1.0;   // L: pixels are on [0, 1)
inline constexpr uint32_t k_ssim_window = 11;
inline constexpr double k_ssim_sigma = 1.5;
inline constexpr double k_ssim_k1 = 0.01, k_ssim_k2 = 0.03;

// Mean squared difference of two tensors of one shape. Throws vkcolor::Error on a shape mismatch.
double mean_squared_error(const HostTensor& a, const HostTensor& b);
// 10 log10(1 / mse); infinity for mse 0.
double psnr_from_mse(double mse);

// The SSIM of every channel of every image: N * C values, image-major (image n, channel c at
// n * C + c). Throws vkcolor::Error on a shape mismatch or an image under 11 x 11.
std::vector<double> ssim_per_channel(const HostTensor& a, const HostTensor& b);
// The SSIM of every image: the mean over its channels.
std::vector<double> ssim_per_image(const HostTensor& a, const HostTensor& b);
// The mean SSIM over images (and channels).
double ssim(const HostTensor& a, const HostTensor& b);

// Sums MSE and SSIM over batches of predictions, so a data set seen batch by batch gives the
// same numbers as all of it at once (up to the order of double additions).
class ImageQuality {
public:
    void add(const HostTensor& prediction, const HostTensor& truth);
    uint64_t images() const { return images_; }
    double mse() const { return values_ ? squared_error_ / double(values_) : 0.0; }
    double psnr_db() const { return psnr_from_mse(mse()); }
    double ssim() const { return images_ ? ssim_sum_ / double(images_) : 0.0; }

private:
    double squared_error_ = 0, ssim_sum_ = 0;
    uint64_t values_ = 0, images_ = 0;
};

} // namespace vkcolor::metrics
