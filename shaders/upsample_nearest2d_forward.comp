#version 450
#extension GL_GOOGLE_include_directive : require
// Nearest-neighbour x2 upsampling over N*C planes of H x W: y[p, 2h + a, 2w + b] = x[p, h, w].
// Where W % 4 == 0 an invocation takes 4 inputs of a row (one vec4 load) and writes their two
// output rows of 8 (four vec4 stores): on lavapipe a storage access with a per-lane address costs
// the same for a vec4 as for a float (../shared/docs/lavapipe-codegen.md). Other widths take one
// input an invocation and write its 2x2 block (per input rather than per output element: a
// quarter of the index arithmetic).
layout(local_size_x = 64, local_size_x_id = 0) in;
#include "texel_read.glsl"   // tensors read through texel views
layout(binding = 0) uniform samplerBuffer x4_t;
layout(std430, binding = 1) writeonly buffer Y { vec4 y4[]; };
layout(push_constant) uniform Push { uint n; uint H; uint W; };   // n: elements of x

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    uint plane = H * W, Wo = 2 * W;
    if (W % 4 == 0) {
        for (uint i = gl_GlobalInvocationID.x; i < n / 4; i += stride) {
            uint e = 4 * i, p = e / plane, r = e - p * plane;
            uint h = r / W, w = r - h * W;
            uint top = ((p * 2 * H + 2 * h) * Wo + 2 * w) / 4;   // vec4 holding y[p, 2h, 2w]
            const vec4 v = texelFetch(x4_t, int(i));
            const vec4 lo = v.xxyy, hi = v.zzww;
            y4[top] = lo;
            y4[top + 1] = hi;
            y4[top + Wo / 4] = lo;
            y4[top + Wo / 4 + 1] = hi;
        }
        return;
    }
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        uint p = i / plane, r = i - p * plane;
        uint h = r / W, w = r - h * W;
        uint top = (p * 2 * H + 2 * h) * Wo + 2 * w;   // y[p, 2h, 2w]
        float v = element(x4_t, i);
        for (uint k = 0; k < 4; ++k) {
            const uint o = top + (k / 2) * Wo + k % 2;
            y4[o >> 2][o & 3] = v;
        }
    }
}
