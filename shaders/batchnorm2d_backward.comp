#version 450
// Training-mode dX, through the batch statistics, with xhat = (x - mean) * invstd:
//   dX = gamma * invstd / M * (M * dy - dBeta - xhat * dGamma)
//      = gamma * invstd * (dy - dBeta / M - xhat * dGamma / M)
// where dBeta = sum(dy) and dGamma = sum(dy * xhat) per channel (batchnorm2d_backward_finalize).
// Laid out by plane like batchnorm2d_forward_train: channel constants once per plane.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer DY { float dy[]; };
layout(std430, binding = 2) readonly buffer Mean { float mean[]; };
layout(std430, binding = 3) readonly buffer Invstd { float invstd[]; };
layout(std430, binding = 4) readonly buffer Gamma { float gamma[]; };
layout(std430, binding = 5) readonly buffer DGamma { float dgamma[]; };
layout(std430, binding = 6) readonly buffer DBeta { float dbeta[]; };
layout(std430, binding = 7) writeonly buffer DX { float dx[]; };
layout(push_constant) uniform Push { uint planes; uint C; uint HW; float inv_m; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint plane = gl_WorkGroupID.y; plane < planes; plane += gl_NumWorkGroups.y) {
        uint c = plane % C, base = plane * HW;
        float m = mean[c], k = invstd[c], scale = gamma[c] * k;
        float mean_dy = dbeta[c] * inv_m, mean_dy_xhat = dgamma[c] * inv_m;
        for (uint i = gl_GlobalInvocationID.x; i < HW; i += stride) {
            float xhat = (x[base + i] - m) * k;
            dx[base + i] = scale * (dy[base + i] - mean_dy - xhat * mean_dy_xhat);
        }
    }
}
