#version 450
#extension GL_GOOGLE_include_directive : require
// y = gamma * (x - running_mean) / sqrt(running_var + eps) + beta (inference: the running stats
// are constants). Laid out by plane like batchnorm2d_forward_train: channel constants once per
// plane.
// Four elements an invocation where a plane is a whole number of vec4s (HW % 4 == 0): on lavapipe
// a storage access with a per-lane address is a loop over the lanes costing the same for a vec4
// as for a float (../shared/docs/lavapipe-codegen.md); other planes take one float at a time.
layout(local_size_x = 64, local_size_x_id = 0) in;
#include "texel_read.glsl"

layout(binding = 0) uniform samplerBuffer x_t;
layout(binding = 1) uniform samplerBuffer running_mean_t;
layout(binding = 2) uniform samplerBuffer running_var_t;
layout(binding = 3) uniform samplerBuffer gamma_t;
layout(binding = 4) uniform samplerBuffer beta_t;
layout(std430, binding = 5) writeonly buffer Y { vec4 y[]; };
layout(push_constant) uniform Push { uint planes; uint C; uint HW; float eps; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint plane = gl_WorkGroupID.y; plane < planes; plane += gl_NumWorkGroups.y) {
        uint c = plane % C, base = plane * HW;
        float m = element(running_mean_t, c), k = 1.0 / sqrt(element(running_var_t, c) + eps), g = element(gamma_t, c), b = element(beta_t, c);
        if (HW % 4 == 0) {
            const uint base4 = base / 4;
            for (uint i = gl_GlobalInvocationID.x; i < HW / 4; i += stride) y[base4 + i] = g * ((texelFetch(x_t, int(base4 + i)) - m) * k) + b;
        } else {
            for (uint i = gl_GlobalInvocationID.x; i < HW; i += stride) {
                const uint e = base + i;
                y[e >> 2][e & 3] = g * ((element(x_t, e) - m) * k) + b;
            }
        }
    }
}
