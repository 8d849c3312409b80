#version 450
#extension GL_GOOGLE_include_directive : require
// Splits dy (N x (Ca+Cb) x HW) into da (its first Ca channels) and db (the rest).
// Workgroup (x, c, n): channel c of sample n of dy, its HW pixels strided over the x groups; each
// element of da and db is written exactly once. Planes of a whole number of vec4s move four
// elements an access (see concat_forward.comp).
layout(local_size_x = 64, local_size_x_id = 0) in;
#include "texel_read.glsl"   // tensors read through texel views
layout(binding = 0) uniform samplerBuffer dy_t;
layout(std430, binding = 1) writeonly buffer DA { vec4 da[]; };
layout(std430, binding = 2) writeonly buffer DB { vec4 db[]; };
layout(push_constant) uniform Push { uint Ca; uint Cb; uint HW; };
void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    uint c = gl_WorkGroupID.y, n = gl_WorkGroupID.z;
    uint src = (n * (Ca + Cb) + c) * HW;
    bool to_a = c < Ca;
    uint dst = to_a ? (n * Ca + c) * HW : (n * Cb + c - Ca) * HW;
    if (HW % 4 == 0) {
        uint d4 = dst / 4, s4 = src / 4;
        if (to_a)
            for (uint i = gl_GlobalInvocationID.x; i < HW / 4; i += stride) da[d4 + i] = texelFetch(dy_t, int(s4 + i));
        else
            for (uint i = gl_GlobalInvocationID.x; i < HW / 4; i += stride) db[d4 + i] = texelFetch(dy_t, int(s4 + i));
    } else {
        for (uint i = gl_GlobalInvocationID.x; i < HW; i += stride) {
            uint s = src + i, d = dst + i;
            float v = element(dy_t, s);
            if (to_a) da[d >> 2][d & 3] = v;
            else db[d >> 2][d & 3] = v;
        }
    }
}
