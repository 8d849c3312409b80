#version 450
// Stage 2 of the backward's per-channel sums, one invocation per channel, chunks added in order
// s = 0..S-1:  dBeta = sum(dy),  dGamma = sum(dy * xhat) = invstd * sum(dy * (x - mean)).
// `scale` holds invstd (training: the saved batch invstd) or, when from_variance is 1, the
// running variance, from which invstd = 1 / sqrt(var + eps) (eval mode).
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer PartialDy { float partial_dy[]; };
layout(std430, binding = 1) readonly buffer PartialDyxc { float partial_dyxc[]; };
layout(std430, binding = 2) readonly buffer Scale { float scale[]; };
layout(std430, binding = 3) writeonly buffer DGamma { float dgamma[]; };
layout(std430, binding = 4) writeonly buffer DBeta { float dbeta[]; };
layout(push_constant) uniform Push { uint C; uint S; uint from_variance; float eps; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint c = gl_GlobalInvocationID.x; c < C; c += stride) {
        float sum_dy = 0.0, sum_dyxc = 0.0;
        for (uint s = 0; s < S; ++s) {
            sum_dy += partial_dy[c * S + s];
            sum_dyxc += partial_dyxc[c * S + s];
        }
        float invstd = from_variance != 0 ? 1.0 / sqrt(scale[c] + eps) : scale[c];
        dbeta[c] = sum_dy;
        dgamma[c] = sum_dyxc * invstd;
    }
}
