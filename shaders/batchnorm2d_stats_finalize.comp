#version 450
// Stage 2 of the training-mode batch statistics, one invocation per channel c: combines the S
// chunks of batchnorm2d_stats_partial in order s = 0..S-1,
//   mean = sum_s sum_s / M
//   M2   = sum_s [ m2_s + n_s * (sum_s / n_s - mean)^2 ]      (exact: Chan et al.)
//   var  = M2 / M (biased), invstd = 1 / sqrt(var + eps)
// saves mean and invstd for the backward and updates the running stats in place (the unbiased
// variance var * M / (M - 1) goes into running_var, as in PyTorch).
layout(local_size_x = 64, local_size_x_id = 0) in;
#extension GL_GOOGLE_include_directive : require
#include "vec4_chunks.glsl"

layout(std430, binding = 0) readonly buffer PartialSum { float partial_sum[]; };
layout(std430, binding = 1) readonly buffer PartialM2 { float partial_m2[]; };
layout(std430, binding = 2) writeonly buffer SavedMean { float saved_mean[]; };
layout(std430, binding = 3) writeonly buffer SavedInvstd { float saved_invstd[]; };
layout(std430, binding = 4) buffer RunningMean { float running_mean[]; };
layout(std430, binding = 5) buffer RunningVar { float running_var[]; };
layout(push_constant) uniform Push { uint C; uint S; uint M; float eps; float momentum; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    uint chunk = vec4_chunk(M, S);
    for (uint c = gl_GlobalInvocationID.x; c < C; c += stride) {
        float total = 0.0;
        for (uint s = 0; s < S; ++s) total += partial_sum[c * S + s];
        float mean = total / float(M);

        float m2 = 0.0;
        for (uint s = 0; s < S; ++s) {
            uint begin = min(s * chunk, M);
            uint count = min(chunk, M - begin);
            if (count == 0) continue;
            float d = partial_sum[c * S + s] / float(count) - mean;
            m2 += partial_m2[c * S + s] + float(count) * d * d;
        }
        float var = m2 / float(M);
        saved_mean[c] = mean;
        saved_invstd[c] = 1.0 / sqrt(var + eps);
        running_mean[c] = (1.0 - momentum) * running_mean[c] + momentum * mean;
        running_var[c] = (1.0 - momentum) * running_var[c] + momentum * (var * (float(M) / float(M - 1)));
    }
}
