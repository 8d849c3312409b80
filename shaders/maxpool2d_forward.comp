#version 450
#extension GL_GOOGLE_include_directive : require
// 2x2 max-pool, stride 2, over an N*C x H x W stack of planes (Ho = H/2, Wo = W/2, rounded
// down). Scans each window row by row exactly as PyTorch does: the first maximum wins ties, a
// NaN always takes over. idx gets the winner's h * W + w in its plane.
// Where W % 8 == 0 an invocation takes 4 neighbouring windows of a row: 4 vec4 loads (two rows
// of 8 inputs) and one vec4 store each of y and idx. On lavapipe a storage-buffer access with a
// per-lane address is a loop over the lanes that costs the same for a vec4 as for a float
// (../shared/docs/lavapipe-codegen.md), so this is 6 accesses for 4 outputs instead of 24.
// Other widths take one window an invocation.
layout(local_size_x = 64, local_size_x_id = 0) in;
#include "texel_read.glsl"   // tensors read through texel views

layout(binding = 0) uniform samplerBuffer x4_t;
layout(std430, binding = 1) writeonly buffer Y { vec4 y4[]; };
layout(std430, binding = 2) writeonly buffer Idx { uvec4 idx4[]; };
layout(push_constant) uniform Push { uint n; uint H; uint W; uint Ho; uint Wo; };   // n: outputs

float at_x(uint e) { return element(x4_t, e); }

// Window (oh, ow) of plane p: the scan, given its four values in scan order.
void pick(float v0, float v1, float v2, float v3, uint oh, uint ow, out float best, out uint best_at) {
    const float v[4] = float[4](v0, v1, v2, v3);
    best = -1.0 / 0.0;   // -inf, as PyTorch starts
    best_at = (2 * oh) * W + 2 * ow;
    for (uint k = 0; k < 4; ++k) {
        if (v[k] > best || isnan(v[k])) {
            best = v[k];
            best_at = (2 * oh + k / 2) * W + 2 * ow + k % 2;
        }
    }
}

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    uint out_plane = Ho * Wo;
    if (W % 8 == 0) {
        const uint Wq = Wo / 4;   // groups of 4 windows per output row
        for (uint i = gl_GlobalInvocationID.x; i < n / 4; i += stride) {
            uint p = i / (Ho * Wq), r = i - p * (Ho * Wq);
            uint oh = r / Wq, q = r - oh * Wq;
            uint top = (p * H * W + 2 * oh * W) / 4 + 2 * q;   // vec4 holding x[p, 2 oh, 8 q]
            const vec4 a0 = texelFetch(x4_t, int(top)), a1 = texelFetch(x4_t, int(top + 1)), b0 = texelFetch(x4_t, int(top + W / 4)), b1 = texelFetch(x4_t, int(top + W / 4 + 1));
            const float a[8] = float[8](a0.x, a0.y, a0.z, a0.w, a1.x, a1.y, a1.z, a1.w);
            const float b[8] = float[8](b0.x, b0.y, b0.z, b0.w, b1.x, b1.y, b1.z, b1.w);
            vec4 best;
            uvec4 best_at;
            for (uint k = 0; k < 4; ++k)
                pick(a[2 * k], a[2 * k + 1], b[2 * k], b[2 * k + 1], oh, 4 * q + k, best[k], best_at[k]);
            y4[i] = best;
            idx4[i] = best_at;
        }
        return;
    }
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        uint p = i / out_plane, r = i - p * out_plane;
        uint oh = r / Wo, ow = r - oh * Wo;
        uint t = p * H * W + (2 * oh) * W + 2 * ow;
        float best;
        uint best_at;
        pick(at_x(t), at_x(t + 1), at_x(t + W), at_x(t + W + 1), oh, ow, best, best_at);
        y4[i >> 2][i & 3] = best;
        idx4[i >> 2][i & 3] = best_at;
    }
}
