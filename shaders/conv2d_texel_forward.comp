#version 450
// Convolution forward for CPU Vulkan drivers (lavapipe), read through texel buffers:
//   y[n, co, oy, ox] = sum_{ci, ky, kx} w[co, ci, ky, kx] * x[n, ci, oy*s + ky*d - pad, ox*s + kx*d - pad] + b[co]
// Every invocation computes 4 neighbouring output pixels of one row for R = 4 RT output
// channels (RT <= 8: up to 128 accumulators; the host fits RT to the layer, so that a layer of
// 24 channels wastes none), walking the input channels in groups of four and the taps:
//   - the input comes packed with its zero border (conv2d_pack_input.comp), so a tap is one
//     RGBA32F texelFetch per pixel (a branch-free gather on lavapipe);
//   - the weights come packed (conv2d_pack_weight.comp): per tap 4 RT texels, texel c * RT + j
//     holding output channels 4j .. 4j+3 of input channel c. They are the same for every lane,
//     so with SHUFFLE each lane of an 8-lane subgroup fetches the 4 texels of its j and
//     subgroupShuffle with a constant lane hands them round (one vector permute each).
// The accumulators are 32 named vec4s (pixel p, output channels 4j .. 4j+3), not an array: an
// array indexed in loops the driver does not unroll becomes scratch memory, which lavapipe reads
// and writes lane by lane (measured: 10x slower in the weight-gradient kernel).
// Loops: channel groups, then taps (CB x KK trips, far below lavapipe's loop limiter). One item
// per invocation (flat_grid.glsl). The reduction order is fixed (channel group, tap, channel),
// so results are deterministic.
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
layout(constant_id = 4) const uint SHUFFLE = 0;   // 0, or the subgroup size, which must then be 8
layout(constant_id = 5) const uint RT = 8;        // 1..8 texels of 4 output channels per invocation
const uint KK = KERNEL * KERNEL;
const uint R = 4 * RT;                            // output channels per invocation
const uint P = 4;                                 // output pixels per invocation, along x

layout(binding = 0) uniform samplerBuffer X;     // packed input, N x CB x HP x WP texels
layout(binding = 1) uniform samplerBuffer Wp;    // packed weight, groups x CB x KK x R texels
layout(std430, binding = 2) readonly buffer Bias { vec4 bias4[]; };   // channels, padded to vec4s
layout(std430, binding = 3) writeonly buffer Y { vec4 y4[]; };        // N x Cout x OH x OW floats
layout(push_constant) uniform Push {
    uint N, CB, HP, WP, Cout, OH, OW, stride, dilation, has_bias, blocks_x;
};

#define DECLARE(j) vec4 p0_##j = vec4(0.0), p1_##j = vec4(0.0), p2_##j = vec4(0.0), p3_##j = vec4(0.0);
// Weight texel (input channel c, output channels 4j..4j+3) of this tap.
#define W(c, j, mine) (SHUFFLE != 0 ? subgroupShuffle(mine, j) : texelFetch(Wp, wtap + int((c) * RT + (j))))
// (j < RT is a constant once specialised: the blocks past RT compile to nothing.)
#define TAPJ(j)                                                                                          \
    if (j < RT) {                                                                                        \
        const vec4 w0 = W(0, j, m0), w1 = W(1, j, m1), w2 = W(2, j, m2), w3 = W(3, j, m3);              \
        p0_##j = fma(vec4(x0.x), w0, p0_##j); p0_##j = fma(vec4(x0.y), w1, p0_##j);                     \
        p0_##j = fma(vec4(x0.z), w2, p0_##j); p0_##j = fma(vec4(x0.w), w3, p0_##j);                     \
        p1_##j = fma(vec4(x1.x), w0, p1_##j); p1_##j = fma(vec4(x1.y), w1, p1_##j);                     \
        p1_##j = fma(vec4(x1.z), w2, p1_##j); p1_##j = fma(vec4(x1.w), w3, p1_##j);                     \
        p2_##j = fma(vec4(x2.x), w0, p2_##j); p2_##j = fma(vec4(x2.y), w1, p2_##j);                     \
        p2_##j = fma(vec4(x2.z), w2, p2_##j); p2_##j = fma(vec4(x2.w), w3, p2_##j);                     \
        p3_##j = fma(vec4(x3.x), w0, p3_##j); p3_##j = fma(vec4(x3.y), w1, p3_##j);                     \
        p3_##j = fma(vec4(x3.z), w2, p3_##j); p3_##j = fma(vec4(x3.w), w3, p3_##j);                     \
    }
// Output channels 4j .. 4j+3 of the 4 pixels. A storage-buffer store with a per-lane address is
// a loop over the lanes on lavapipe, costing the same for a vec4 as for a float, so where a row
// is a whole number of vec4s (OW % 4 == 0: the 4 pixels are one aligned vec4) each channel is one
// vec4 store, and the bias one vec4 load per 4 channels (the allocator pads every buffer to
// 16 bytes, so the last vec4 of the bias stays inside its buffer).
#define STORE(j)                                                                                         \
    if (j < RT) {                                                                                        \
        const vec4 bj = has_bias != 0 ? bias4[co0 / 4 + (j)] : vec4(0.0);                                \
        const vec4 px[4] = vec4[4](p0_##j + bj, p1_##j + bj, p2_##j + bj, p3_##j + bj);                  \
        for (uint q = 0; q < 4; ++q) {                                                                   \
            const uint co = co0 + 4 * (j) + q;                                                           \
            if (co < Cout) {                                                                             \
                const uint out0 = ((n * Cout + co) * OH + oy) * OW + bx * P;                             \
                if (whole_rows)                                                                          \
                    y4[out0 / 4] = vec4(px[0][q], px[1][q], px[2][q], px[3][q]);                         \
                else                                                                                     \
                    for (uint p = 0; p < P; ++p)                                                         \
                        if (bx * P + p < OW) y4[(out0 + p) / 4][(out0 + p) % 4] = px[p][q];              \
            }                                                                                            \
        }                                                                                                \
    }

void main() {
    const uint item = flat_invocation();
    const uint items = N * OH * blocks_x;
    // Lanes past the end compute the last block again and store nothing: every lane stays
    // active for the shuffles.
    const bool valid = item < items;
    const uint it = min(item, items - 1);
    const uint bx = it % blocks_x, row = it / blocks_x, oy = row % OH, n = row / OH;
    const uint g = gl_WorkGroupID.y, co0 = g * R;

    // Pixels past the row's end read the last pixel (and are not stored).
    const int b0 = int((n * CB * HP + oy * stride) * WP + min(bx * P + 0, OW - 1) * stride);
    const int b1 = int((n * CB * HP + oy * stride) * WP + min(bx * P + 1, OW - 1) * stride);
    const int b2 = int((n * CB * HP + oy * stride) * WP + min(bx * P + 2, OW - 1) * stride);
    const int b3 = int((n * CB * HP + oy * stride) * WP + min(bx * P + 3, OW - 1) * stride);
    DECLARE(0) DECLARE(1) DECLARE(2) DECLARE(3) DECLARE(4) DECLARE(5) DECLARE(6) DECLARE(7)

    const int plane = int(HP * WP);
    const int lane = SHUFFLE == 0 ? 0 : int(min(gl_SubgroupInvocationID, RT - 1));
    for (uint cb = 0; cb < CB; ++cb) {
        const int xc = int(cb) * plane;
        for (uint tap = 0; tap < KK; ++tap) {
            const int off = xc + int((tap / KERNEL) * dilation * WP + (tap % KERNEL) * dilation);
            const int wtap = int(((g * CB + cb) * KK + tap) * R);
            const vec4 x0 = texelFetch(X, b0 + off), x1 = texelFetch(X, b1 + off);
            const vec4 x2 = texelFetch(X, b2 + off), x3 = texelFetch(X, b3 + off);
            vec4 m0 = vec4(0.0), m1 = vec4(0.0), m2 = vec4(0.0), m3 = vec4(0.0);
            if (SHUFFLE != 0) {
                m0 = texelFetch(Wp, wtap + lane);
                m1 = texelFetch(Wp, wtap + int(RT) + lane);
                m2 = texelFetch(Wp, wtap + int(2 * RT) + lane);
                m3 = texelFetch(Wp, wtap + int(3 * RT) + lane);
            }
            TAPJ(0) TAPJ(1) TAPJ(2) TAPJ(3) TAPJ(4) TAPJ(5) TAPJ(6) TAPJ(7)
        }
    }

    if (!valid) return;
    const bool whole_rows = OW % 4 == 0;
    STORE(0) STORE(1) STORE(2) STORE(3) STORE(4) STORE(5) STORE(6) STORE(7)
}
