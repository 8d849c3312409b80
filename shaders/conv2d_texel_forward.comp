#version 450
// Convolution forward for CPU Vulkan drivers (lavapipe), read through texel buffers:
//   y[n, co, oy, ox] = sum_{ci, ky, kx} w[co, ci, ky, kx] * x[n, ci, oy*s + ky*d - pad, ox*s + kx*d - pad] + b[co]
// Every invocation computes P neighbouring output pixels of one row for R output channels
// (P x R accumulators in registers), walking the input channels in groups of four:
//   - the input comes packed with its zero border (conv2d_pack_input.comp), so a tap is one
//     RGBA32F texelFetch per pixel (a branch-free gather on lavapipe) feeding 4 R multiply-adds;
//   - the weights come packed (conv2d_pack_weight.comp). They are the same for every lane, so
//     with SHUFFLE each lane fetches one of the R texels a tap needs and subgroupShuffle with a
//     constant lane hands them round (one vector permute each, not a gather each).
// Taps are unrolled (KERNEL is a constant); the only loop runs over the CB channel groups, so
// no invocation comes near lavapipe's loop limiter. One item per invocation (flat_grid.glsl).
// The reduction order is fixed (channel group, tap, channel), so results are deterministic.
//
// Also the input gradient of a stride-1 convolution: the same product on dY with the weight
// packed swapped and flipped (SWAP = 1 in conv2d_pack_weight) and padding d (k - 1) - pad.
#extension GL_GOOGLE_include_directive : require
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_shuffle : require
layout(local_size_x = 64, local_size_y = 1, local_size_z = 1,
       local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
#include "flat_grid.glsl"   // after the layout: it reads gl_WorkGroupSize
layout(constant_id = 3) const uint KERNEL = 3;
layout(constant_id = 4) const uint P = 4;         // output pixels per invocation, along x
layout(constant_id = 5) const uint R = 8;         // output channels per invocation
layout(constant_id = 6) const uint SHUFFLE = 0;   // 0, or the subgroup size (a multiple of R... see host)
const uint KK = KERNEL * KERNEL;
const uint MAX_P = 8, MAX_R = 8;

layout(binding = 0) uniform samplerBuffer X;     // packed input, N x CB x HP x WP texels
layout(binding = 1) uniform samplerBuffer Wp;    // packed weight, groups x CB x KK x R texels
layout(std430, binding = 2) readonly buffer Bias { float bias[]; };
layout(std430, binding = 3) writeonly buffer Y { float y[]; };
layout(push_constant) uniform Push {
    uint N, CB, HP, WP, Cout, OH, OW, stride, dilation, has_bias, blocks_x;
};

void main() {
    const uint item = flat_invocation();
    const uint items = N * OH * blocks_x;
    // Lanes past the end compute the last block again and store nothing: every lane stays
    // active for the shuffles.
    const bool valid = item < items;
    const uint it = min(item, items - 1);
    const uint bx = it % blocks_x, row = it / blocks_x, oy = row % OH, n = row / OH;
    const uint g = gl_WorkGroupID.y, co0 = g * R;

    int base[MAX_P];
    for (uint p = 0; p < P; ++p) {
        uint ox = min(bx * P + p, OW - 1);
        base[p] = int((n * CB * HP + oy * stride) * WP + ox * stride);
    }
    float acc[MAX_P * MAX_R];
    for (uint i = 0; i < P * R; ++i) acc[i] = 0.0;

    const int plane = int(HP * WP);
    int wbase = int(g * CB * KK * R);
    const uint lane = SHUFFLE == 0 ? 0 : gl_SubgroupInvocationID % R;
    for (uint cb = 0; cb < CB; ++cb) {
        for (uint tap = 0; tap < KK; ++tap) {
            const int off = int((tap / KERNEL) * dilation * WP + (tap % KERNEL) * dilation);
            vec4 xv[MAX_P];
            for (uint p = 0; p < P; ++p) xv[p] = texelFetch(X, base[p] + off);
            vec4 mine = SHUFFLE == 0 ? vec4(0.0) : texelFetch(Wp, wbase + int(tap * R + lane));
            for (uint r = 0; r < R; ++r) {
                vec4 wv = SHUFFLE == 0 ? texelFetch(Wp, wbase + int(tap * R + r)) : subgroupShuffle(mine, r);
                for (uint p = 0; p < P; ++p) {
                    float a = acc[p * R + r];
                    a = fma(xv[p].x, wv.x, a);
                    a = fma(xv[p].y, wv.y, a);
                    a = fma(xv[p].z, wv.z, a);
                    a = fma(xv[p].w, wv.w, a);
                    acc[p * R + r] = a;
                }
            }
        }
        for (uint p = 0; p < P; ++p) base[p] += plane;
        wbase += int(KK * R);
    }

    if (!valid) return;
    for (uint r = 0; r < R; ++r) {
        uint co = co0 + r;
        if (co >= Cout) break;
        float b = has_bias != 0 ? bias[co] : 0.0;
        uint out0 = ((n * Cout + co) * OH + oy) * OW;
        for (uint p = 0; p < P; ++p) {
            uint ox = bx * P + p;
            if (ox < OW) y[out0 + ox] = acc[p * R + r] + b;
        }
    }
}
