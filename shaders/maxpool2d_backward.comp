#version 450
#extension GL_GOOGLE_include_directive : require
// Max-pool backward as a gather over the 2x2 blocks of each input plane: the blocks are the
// windows, plus partial blocks covering an odd last row or column, which the forward dropped.
// Each element of a window gets the window's dy if the forward picked it, else 0; elements of a
// dropped row or column get 0. Every dx element is written exactly once, no atomics.
// Where W % 8 == 0 an invocation takes 4 neighbouring blocks of a row: one vec4 load each of
// idx and dy and two vec4 stores per dx row, instead of 2 loads and up to 4 stores per block (on
// lavapipe a storage access with a per-lane address costs the same for a vec4 as for a float).
// Other widths take one block an invocation (a quarter of the index arithmetic of one element).
layout(local_size_x = 64, local_size_x_id = 0) in;
#include "texel_read.glsl"   // tensors read through texel views

layout(std430, binding = 0) readonly buffer Idx { uvec4 idx4[]; };
layout(binding = 1) uniform samplerBuffer dy4_t;
layout(std430, binding = 2) writeonly buffer DX { vec4 dx4[]; };
// n: blocks (N*C * ceil(H/2) * ceil(W/2)); Hb x Wb: blocks per plane; Ho x Wo: windows per plane.
layout(push_constant) uniform Push { uint n; uint H; uint W; uint Hb; uint Wb; uint Ho; uint Wo; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    if (W % 8 == 0) {   // then Wb == Wo, a multiple of 4
        const uint Wq = Wb / 4;
        for (uint i = gl_GlobalInvocationID.x; i < n / 4; i += stride) {
            uint p = i / (Hb * Wq), r = i - p * (Hb * Wq);
            uint bh = r / Wq, q = r - bh * Wq;
            uvec4 winner = uvec4(0xffffffffu);   // matches no element: a dropped row
            vec4 g = vec4(0.0);
            if (bh < Ho) {
                const uint o = ((p * Ho + bh) * Wo) / 4 + q;
                winner = idx4[o];
                g = texelFetch(dy4_t, int(o));
            }
            for (uint h = 2 * bh; h < min(2 * bh + 2, H); ++h) {
                const uint row = h * W + 8 * q;   // in-plane index of dx[p, h, 8 q]
                vec4 lo, hi;
                for (uint k = 0; k < 4; ++k) {
                    lo[k] = row + k == winner[k / 2] ? g[k / 2] : 0.0;
                    hi[k] = row + 4 + k == winner[2 + k / 2] ? g[2 + k / 2] : 0.0;
                }
                dx4[(p * H * W + row) / 4] = lo;
                dx4[(p * H * W + row) / 4 + 1] = hi;
            }
        }
        return;
    }
    uint blocks = Hb * Wb;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        uint p = i / blocks, r = i - p * blocks;
        uint bh = r / Wb, bw = r - bh * Wb;
        uint winner = 0xffffffffu;   // matches no element: a dropped row or column
        float g = 0.0;
        if (bh < Ho && bw < Wo) {
            uint o = (p * Ho + bh) * Wo + bw;
            winner = idx4[o >> 2][o & 3];
            g = element(dy4_t, o);
        }
        uint base = p * H * W;
        for (uint h = 2 * bh; h < min(2 * bh + 2, H); ++h) {
            for (uint w = 2 * bw; w < min(2 * bw + 2, W); ++w) {
                uint at = h * W + w, e = base + at;
                dx4[e >> 2][e & 3] = at == winner ? g : 0.0;
            }
        }
    }
}
