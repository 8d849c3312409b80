#version 450
// Training-mode dX, through the batch statistics, with xhat = (x - mean) * invstd:
//   dX = gamma * invstd / M * (M * dy - dBeta - xhat * dGamma)
//      = gamma * invstd * (dy - dBeta / M - xhat * dGamma / M)
// where dBeta = sum(dy) and dGamma = sum(dy * xhat) per channel (batchnorm2d_backward_finalize).
// Laid out by plane like batchnorm2d_forward_train: channel constants once per plane.
// Four elements an invocation where a plane is a whole number of vec4s (HW % 4 == 0): on lavapipe
// a storage access with a per-lane address is a loop over the lanes costing the same for a vec4
// as for a float (../shared/docs/lavapipe-codegen.md); other planes take one float at a time.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { vec4 x[]; };
layout(std430, binding = 1) readonly buffer DY { vec4 dy[]; };
layout(std430, binding = 2) readonly buffer Mean { float mean[]; };
layout(std430, binding = 3) readonly buffer Invstd { float invstd[]; };
layout(std430, binding = 4) readonly buffer Gamma { float gamma[]; };
layout(std430, binding = 5) readonly buffer DGamma { float dgamma[]; };
layout(std430, binding = 6) readonly buffer DBeta { float dbeta[]; };
layout(std430, binding = 7) writeonly buffer DX { vec4 dx[]; };
layout(push_constant) uniform Push { uint planes; uint C; uint HW; float inv_m; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint plane = gl_WorkGroupID.y; plane < planes; plane += gl_NumWorkGroups.y) {
        uint c = plane % C, base = plane * HW;
        float m = mean[c], k = invstd[c], scale = gamma[c] * k;
        float mean_dy = dbeta[c] * inv_m, mean_dy_xhat = dgamma[c] * inv_m;
        if (HW % 4 == 0) {
            const uint base4 = base / 4;
            for (uint i = gl_GlobalInvocationID.x; i < HW / 4; i += stride) {
                vec4 xhat = (x[base4 + i] - m) * k;
                dx[base4 + i] = scale * (dy[base4 + i] - mean_dy - xhat * mean_dy_xhat);
            }
        } else {
            for (uint i = gl_GlobalInvocationID.x; i < HW; i += stride) {
                const uint e = base + i;
                float xhat = (x[e >> 2][e & 3] - m) * k;
                dx[e >> 2][e & 3] = scale * (dy[e >> 2][e & 3] - mean_dy - xhat * mean_dy_xhat);
            }
        }
    }
}
