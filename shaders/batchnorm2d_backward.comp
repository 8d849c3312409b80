#version 450
#extension GL_GOOGLE_include_directive : require
// Training-mode dX, through the batch statistics, with xhat = (x - mean) * invstd:
//   dX = gamma * invstd / M * (M * dy - dBeta - xhat * dGamma)
//      = gamma * invstd * (dy - dBeta / M - xhat * dGamma / M)
// where dBeta = sum(dy) and dGamma = sum(dy * xhat) per channel (batchnorm2d_backward_finalize).
// Laid out by plane like batchnorm2d_forward_train: channel constants once per plane.
// Four elements an invocation where a plane is a whole number of vec4s (HW % 4 == 0): on lavapipe
// a storage access with a per-lane address is a loop over the lanes costing the same for a vec4
// as for a float (../shared/docs/lavapipe-codegen.md); other planes take one float at a time.
layout(local_size_x = 64, local_size_x_id = 0) in;
#include "texel_read.glsl"

layout(binding = 0) uniform samplerBuffer x_t;
layout(binding = 1) uniform samplerBuffer dy_t;
layout(binding = 2) uniform samplerBuffer mean_t;
layout(binding = 3) uniform samplerBuffer invstd_t;
layout(binding = 4) uniform samplerBuffer gamma_t;
layout(binding = 5) uniform samplerBuffer dgamma_t;
layout(binding = 6) uniform samplerBuffer dbeta_t;
layout(std430, binding = 7) writeonly buffer DX { vec4 dx[]; };
layout(push_constant) uniform Push { uint planes; uint C; uint HW; float inv_m; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint plane = gl_WorkGroupID.y; plane < planes; plane += gl_NumWorkGroups.y) {
        uint c = plane % C, base = plane * HW;
        float m = element(mean_t, c), k = element(invstd_t, c), scale = element(gamma_t, c) * k;
        float mean_dy = element(dbeta_t, c) * inv_m, mean_dy_xhat = element(dgamma_t, c) * inv_m;
        if (HW % 4 == 0) {
            const uint base4 = base / 4;
            for (uint i = gl_GlobalInvocationID.x; i < HW / 4; i += stride) {
                vec4 xhat = (texelFetch(x_t, int(base4 + i)) - m) * k;
                dx[base4 + i] = scale * (texelFetch(dy_t, int(base4 + i)) - mean_dy - xhat * mean_dy_xhat);
            }
        } else {
            for (uint i = gl_GlobalInvocationID.x; i < HW; i += stride) {
                const uint e = base + i;
                float xhat = (element(x_t, e) - m) * k;
                dx[e >> 2][e & 3] = scale * (element(dy_t, e) - mean_dy - xhat * mean_dy_xhat);
            }
        }
    }
}
