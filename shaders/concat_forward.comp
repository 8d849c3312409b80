#version 450
#extension GL_GOOGLE_include_directive : require
// y = cat(a, b) along channels: y[n, c, :] = c < Ca ? a[n, c, :] : b[n, c - Ca, :].
// Workgroup (x, c, n): channel c of sample n of y, its HW pixels strided over the x groups. The
// 3-D grid needs no divisions per element, and which input to read is uniform per workgroup.
// Planes of a whole number of vec4s (HW % 4 == 0) move four elements an access: on lavapipe a
// storage access with a per-lane address is a loop over the lanes costing the same for a vec4 as
// for a float (../shared/docs/lavapipe-codegen.md); other planes move one float at a time.
layout(local_size_x = 64, local_size_x_id = 0) in;
#include "texel_read.glsl"   // tensors read through texel views
layout(binding = 0) uniform samplerBuffer a_t;
layout(binding = 1) uniform samplerBuffer b_t;
layout(std430, binding = 2) writeonly buffer Y { vec4 y[]; };
layout(push_constant) uniform Push { uint Ca; uint Cb; uint HW; };
void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    uint c = gl_WorkGroupID.y, n = gl_WorkGroupID.z;
    uint dst = (n * (Ca + Cb) + c) * HW;
    bool from_a = c < Ca;
    uint src = from_a ? (n * Ca + c) * HW : (n * Cb + c - Ca) * HW;
    if (HW % 4 == 0) {
        uint d4 = dst / 4, s4 = src / 4;
        for (uint i = gl_GlobalInvocationID.x; i < HW / 4; i += stride) y[d4 + i] = from_a ? texelFetch(a_t, int(s4 + i)) : texelFetch(b_t, int(s4 + i));
    } else {
        for (uint i = gl_GlobalInvocationID.x; i < HW; i += stride) {
            uint s = src + i, d = dst + i;
            y[d >> 2][d & 3] = from_a ? element(a_t, s) : element(b_t, s);
        }
    }
}
