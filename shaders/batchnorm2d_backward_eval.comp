#version 450
#extension GL_GOOGLE_include_directive : require
// Eval-mode dX: the running stats are constants, so dX = dy * gamma / sqrt(running_var + eps).
// Laid out by plane like batchnorm2d_forward_train: channel constants once per plane.
// Four elements an invocation where a plane is a whole number of vec4s (HW % 4 == 0): on lavapipe
// a storage access with a per-lane address is a loop over the lanes costing the same for a vec4
// as for a float (../shared/docs/lavapipe-codegen.md); other planes take one float at a time.
layout(local_size_x = 64, local_size_x_id = 0) in;
#include "texel_read.glsl"

layout(binding = 0) uniform samplerBuffer dy_t;
layout(binding = 1) uniform samplerBuffer running_var_t;
layout(binding = 2) uniform samplerBuffer gamma_t;
layout(std430, binding = 3) writeonly buffer DX { vec4 dx[]; };
layout(push_constant) uniform Push { uint planes; uint C; uint HW; float eps; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint plane = gl_WorkGroupID.y; plane < planes; plane += gl_NumWorkGroups.y) {
        uint c = plane % C, base = plane * HW;
        float scale = element(gamma_t, c) / sqrt(element(running_var_t, c) + eps);
        if (HW % 4 == 0) {
            const uint base4 = base / 4;
            for (uint i = gl_GlobalInvocationID.x; i < HW / 4; i += stride) dx[base4 + i] = texelFetch(dy_t, int(base4 + i)) * scale;
        } else {
            for (uint i = gl_GlobalInvocationID.x; i < HW; i += stride) {
                const uint e = base + i;
                dx[e >> 2][e & 3] = element(dy_t, e) * scale;
            }
        }
    }
}
