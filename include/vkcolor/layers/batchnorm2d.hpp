#pragma once
// BatchNorm2d (PyTorch's nn.BatchNorm2d with affine=True, track_running_stats=True).
//
// Per channel c, over the M = N*H*W values of that channel:
//   training: mean = sum(x)/M, var = sum((x-mean)^2)/M (biased, two-pass), invstd = 1/sqrt(var+eps)
//             y = gamma * (x-mean) * invstd + beta
//             running_mean = (1-momentum)*running_mean + momentum*mean
//             running_var  = (1-momentum)*running_var  + momentum*var*M/(M-1)   (unbiased)
//             saved_mean, saved_invstd keep mean and invstd for the backward.
//   eval:     y = gamma * (x-running_mean) / sqrt(running_var+eps) + beta
// Backward, with xhat = (x-mean)*invstd:
//   dGamma = sum(dy*xhat), dBeta = sum(dy)
//   training: dX = gamma*invstd/M * (M*dy - sum(dy) - xhat*sum(dy*xhat))   (through the batch stats)
//   eval:     dX = dy*gamma*invstd with mean, invstd from the running stats (constants)
// gamma, beta, running_mean, running_var, saved_mean, saved_invstd: Shape{1, C, 1, 1}.
//
// Training with M = 1 throws, as PyTorch does ("Expected more than 1 value per channel when
// training"): the unbiased variance would divide by M-1 = 0.
#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::layers {

struct BatchNorm2dParams {
    float eps = 1e-5f;
    float momentum = 0.1f;
};

// Throws vkcolor::Error when a training-mode batch has a single value per channel.
void require_batchnorm2d_trainable(const Shape& x);

namespace cpu {
// Updates running_mean and running_var in place; writes saved_mean and saved_invstd.
HostTensor batchnorm2d_forward_train(const HostTensor& x, const HostTensor& gamma, const HostTensor& beta,
                                     HostTensor& running_mean, HostTensor& running_var, HostTensor& saved_mean,
                                     HostTensor& saved_invstd, const BatchNorm2dParams& p = {});
HostTensor batchnorm2d_forward_eval(const HostTensor& x, const HostTensor& gamma, const HostTensor& beta,
                                    const HostTensor& running_mean, const HostTensor& running_var,
                                    const BatchNorm2dParams& p = {});

struct BatchNorm2dGrads {
    HostTensor dx, dgamma, dbeta;
};
BatchNorm2dGrads batchnorm2d_backward_train(const HostTensor& x, const HostTensor& dy, const HostTensor& gamma,
                                            const HostTensor& saved_mean, const HostTensor& saved_invstd);
BatchNorm2dGrads batchnorm2d_backward_eval(const HostTensor& x, const HostTensor& dy, const HostTensor& gamma,
                                           const HostTensor& running_mean, const HostTensor& running_var,
                                           const BatchNorm2dParams& p = {});
} // namespace cpu

// GPU recordings. Replaying a training forward updates the running stats again, as a second
// training step would.
void batchnorm2d_forward_train(gpu::Recording& rec, const Tensor& x, const Tensor& gamma, const Tensor& beta,
                               const Tensor& running_mean, const Tensor& running_var, const Tensor& saved_mean,
                               const Tensor& saved_invstd, const Tensor& y, const BatchNorm2dParams& p = {});
void batchnorm2d_forward_eval(gpu::Recording& rec, const Tensor& x, const Tensor& gamma, const Tensor& beta,
                              const Tensor& running_mean, const Tensor& running_var, const Tensor& y,
                              const BatchNorm2dParams& p = {});
void batchnorm2d_backward_train(gpu::Recording& rec, const Tensor& x, const Tensor& dy, const Tensor& gamma,
                                const Tensor& saved_mean, const Tensor& saved_invstd, const Tensor& dx,
                                const Tensor& dgamma, const Tensor& dbeta);
void batchnorm2d_backward_eval(gpu::Recording& rec, const Tensor& x, const Tensor& dy, const Tensor& gamma,
                               const Tensor& running_mean, const Tensor& running_var, const Tensor& dx,
                               const Tensor& dgamma, const Tensor& dbeta, const BatchNorm2dParams& p = {});

} // namespace vkcolor::layers
