#version 450
// Convolution weight gradient for CPU Vulkan drivers (lavapipe), read through texel buffers:
//   dW[o, ci, ky, kx] = sum over (n, oy, ox) of dY[n, o, oy, ox] * x[n, ci, oy*s + ky*d - pad, ox*s + kx*d - pad]
// Each invocation owns one column texel of the product, four input channels (4 cb .. 4 cb + 3)
// at one tap, for R = 4 RT output channels (RT <= 8, fitted to the layer): 4 x R accumulators. Workgroup z sums one chunk of output
// rows and writes its partial dW with plain stores; sum_partials adds the chunks in order, so the
// result is deterministic (no atomics; the chunking depends on the shape only).
//   - x comes packed with its zero border (conv2d_pack_input.comp): one RGBA32F texelFetch per
//     pixel (a branch-free gather on lavapipe) feeds 4 R multiply-adds;
//   - dY comes packed four output channels per texel (conv2d_pack_input.comp), with the border
//     DPAD of the input gradient's packing, so both gradients share one packed dY (the border
//     itself is not read here). It is
//     the same for every lane, so with SHUFFLE each lane of a subgroup of R/4 lanes fetches one
//     of the R/4 texels a pixel needs and subgroupShuffle with a constant lane hands them round.
// The pixel loop of one chunk stays far below lavapipe's loop limiter (the host keeps a chunk
// to about 4096 pixels).
#extension GL_GOOGLE_include_directive : require
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_shuffle : require
layout(local_size_x = 32, local_size_y = 1, local_size_z = 1,
       local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
layout(constant_id = 3) const uint KERNEL = 3;
layout(constant_id = 4) const uint SHUFFLE = 0;   // 0, or the subgroup size, which must then be 8
layout(constant_id = 5) const uint RT = 8;        // dY texels per pixel (1..8), fitted to the layer
const uint KK = KERNEL * KERNEL;
const uint R = 4 * RT;                            // output channels per invocation
const uint P = 4;                                 // pixels a loop step

layout(binding = 0) uniform samplerBuffer X;      // packed input, N x CB x HP x WP texels
layout(binding = 1) uniform samplerBuffer DY;     // packed dY, N x OB x (OH + 2 DPAD) x (OW + 2 DPAD) texels
layout(std430, binding = 2) writeonly buffer Partial { float partial[]; };   // [Cout * Cin * KK][S]
layout(push_constant) uniform Push {
    uint CB, HP, WP, Cin, Cout, OB, OH, OW, stride, dilation, rows_per_chunk, rows, S, DPAD;
};

// The 4 x 32 accumulators are 32 named vec4s (input channel c, dY texel j: four output
// channels), not an array: a local array indexed in loops that the driver does not unroll
// becomes scratch memory, which lavapipe reads and writes lane by lane.
#define DECLARE(j) vec4 a0_##j = vec4(0.0), a1_##j = vec4(0.0), a2_##j = vec4(0.0), a3_##j = vec4(0.0);
// (j < RT is a constant once specialised: the blocks past RT compile to nothing.)
#define ADD(j, xv, dv)                \
    if (j < RT) {                     \
    a0_##j = fma(vec4(xv.x), dv, a0_##j); \
    a1_##j = fma(vec4(xv.y), dv, a1_##j); \
    a2_##j = fma(vec4(xv.z), dv, a2_##j); \
    a3_##j = fma(vec4(xv.w), dv, a3_##j); \
    }
// dY texel j of the pixel whose texels this lane fetched into `mine` (texel di + ...).
#define DY_TEXEL(j, mine, di) (j >= RT ? vec4(0.0) : SHUFFLE != 0 ? subgroupShuffle(mine, j) : texelFetch(DY, di + int(min(ob0 + j, OB - 1)) * plane))
#define PIXEL(xv, mine, di)                                                                          \
    {                                                                                                \
        vec4 dv0 = DY_TEXEL(0, mine, di), dv1 = DY_TEXEL(1, mine, di), dv2 = DY_TEXEL(2, mine, di); \
        vec4 dv3 = DY_TEXEL(3, mine, di), dv4 = DY_TEXEL(4, mine, di), dv5 = DY_TEXEL(5, mine, di); \
        vec4 dv6 = DY_TEXEL(6, mine, di), dv7 = DY_TEXEL(7, mine, di);                              \
        ADD(0, xv, dv0) ADD(1, xv, dv1) ADD(2, xv, dv2) ADD(3, xv, dv3)                              \
        ADD(4, xv, dv4) ADD(5, xv, dv5) ADD(6, xv, dv6) ADD(7, xv, dv7)                              \
    }
#define STORE(j)                                                                                     \
    if (j < RT) {                                                                                    \
        const vec4 col[4] = vec4[4](a0_##j, a1_##j, a2_##j, a3_##j);                                \
        for (uint c = 0; c < 4; ++c) {                                                               \
            const uint ci = 4 * cb + c;                                                              \
            for (uint q = 0; q < 4; ++q) {                                                           \
                const uint o = 4 * (ob0 + j) + q;                                                    \
                if (ci < Cin && o < Cout) partial[(o * K + ci * KK + tap) * S + chunk] = col[c][q];  \
            }                                                                                        \
        }                                                                                            \
    }

void main() {
    const uint K4 = CB * KK;
    const uint kt = gl_GlobalInvocationID.x;
    // A subgroup whose every lane is past the last column has nothing to do (a layer of few
    // input channels, such as the first: 9 columns for 32 lanes). It leaves as a whole, so the
    // other subgroups' shuffles are unaffected.
    if (gl_WorkGroupID.x * gl_WorkGroupSize.x + gl_SubgroupID * gl_SubgroupSize >= K4) return;
    // Lanes past the last column compute the last one again and store nothing: every lane
    // stays active for the shuffles.
    const uint col = min(kt, K4 - 1);
    const uint cb = col / KK, tap = col % KK, ky = tap / KERNEL, kx = tap % KERNEL;
    const uint ob0 = gl_WorkGroupID.y * RT;
    const uint chunk = gl_WorkGroupID.z;
    const uint row0 = chunk * rows_per_chunk, row1 = min(row0 + rows_per_chunk, rows);
    const uint DHP = OH + 2 * DPAD, DWP = OW + 2 * DPAD;   // the packed dY's plane
    const int plane = int(DHP * DWP);
    const uint lane = SHUFFLE == 0 ? 0 : gl_SubgroupInvocationID % RT;
    // dY texels past the last output channel are clamped (their sums are never stored).
    const int my_ob = int(min(ob0 + lane, OB - 1));

    DECLARE(0) DECLARE(1) DECLARE(2) DECLARE(3) DECLARE(4) DECLARE(5) DECLARE(6) DECLARE(7)

    for (uint row = row0; row < row1; ++row) {
        const uint n = row / OH, oy = row % OH;
        const int xrow = int(((n * CB + cb) * HP + oy * stride + ky * dilation) * WP + kx * dilation);
        const int drow = int((n * OB * DHP + oy + DPAD) * DWP + DPAD);   // dY texel (n, 0, oy, 0)
        // P pixels a step, every fetch first: the accumulators (kept in memory around each
        // fetch, which lavapipe compiles as a call) are loaded and stored once per step, not
        // once per pixel. Pixels past the row's end read the last pixel and count as zero.
        for (uint ox = 0; ox < OW; ox += P) {
            const uint o1 = min(ox + 1, OW - 1), o2 = min(ox + 2, OW - 1), o3 = min(ox + 3, OW - 1);
            vec4 x0 = texelFetch(X, xrow + int(ox * stride));
            vec4 x1 = texelFetch(X, xrow + int(o1 * stride));
            vec4 x2 = texelFetch(X, xrow + int(o2 * stride));
            vec4 x3 = texelFetch(X, xrow + int(o3 * stride));
            x1 = ox + 1 < OW ? x1 : vec4(0.0);
            x2 = ox + 2 < OW ? x2 : vec4(0.0);
            x3 = ox + 3 < OW ? x3 : vec4(0.0);
            const int i0 = drow + int(ox), i1 = drow + int(o1), i2 = drow + int(o2), i3 = drow + int(o3);
            const vec4 m0 = SHUFFLE == 0 ? vec4(0.0) : texelFetch(DY, i0 + my_ob * plane);
            const vec4 m1 = SHUFFLE == 0 ? vec4(0.0) : texelFetch(DY, i1 + my_ob * plane);
            const vec4 m2 = SHUFFLE == 0 ? vec4(0.0) : texelFetch(DY, i2 + my_ob * plane);
            const vec4 m3 = SHUFFLE == 0 ? vec4(0.0) : texelFetch(DY, i3 + my_ob * plane);
            PIXEL(x0, m0, i0)
            PIXEL(x1, m1, i1)
            PIXEL(x2, m2, i2)
            PIXEL(x3, m3, i3)
        }
    }

    if (kt >= K4) return;
    const uint K = Cin * KK;
    STORE(0) STORE(1) STORE(2) STORE(3) STORE(4) STORE(5) STORE(6) STORE(7)
}
