#version 450
// Stage 1 of the backward's per-channel sums, both in one pass over x and dy: for chunk s of
// channel c (the chunks of batchnorm2d_stats_partial),
//   partial_dy[c * S + s]   = sum of dy over the chunk
//   partial_dyxc[c * S + s] = sum of dy * (x - mean[c]) over the chunk
// (x - mean is centred before multiplying, so nothing large cancels). Fixed strided assignment
// plus a fixed shared-memory tree: deterministic, no atomics.
layout(local_size_x = 64, local_size_x_id = 0) in;
// The summed tensors are read through RGBA32F texel views, four elements a texel: on lavapipe a
// texel fetch is one branch-free gather where a storage load is a loop over the lanes (measured
// in the UNet's training step: 20-35% less time in these passes).
#extension GL_GOOGLE_include_directive : require
#include "vec4_chunks.glsl"
#include "texel_read.glsl"

layout(binding = 0) uniform samplerBuffer x_t;   // texels of 4 elements: see main()
layout(binding = 1) uniform samplerBuffer dy_t;   // texels of 4 elements: see main()
layout(binding = 2) uniform samplerBuffer mean_t;
layout(std430, binding = 3) writeonly buffer PartialDy { float partial_dy[]; };
layout(std430, binding = 4) writeonly buffer PartialDyxc { float partial_dyxc[]; };
layout(push_constant) uniform Push { uint N; uint C; uint HW; uint S; };

#include "workgroup_sum.glsl"

void main() {
    uint s = gl_WorkGroupID.x, c = gl_WorkGroupID.y, t = gl_LocalInvocationID.x;
    uint total = N * HW;
    uint chunk = vec4_chunk(total, S);
    uint begin = min(s * chunk, total), end = min(begin + chunk, total);
    float m = element(mean_t, c);

    float acc_dy = 0.0, acc_dyxc = 0.0;
    // Where a plane is a whole number of vec4s, four elements a load (see batchnorm2d_stats_partial).
    if (HW % 4 == 0) {
        const uint HW4 = HW / 4;
        for (uint e = begin / 4 + t; e < end / 4; e += gl_WorkGroupSize.x) {
            uint n = e / HW4, idx = (n * C + c) * HW4 + (e - n * HW4);
            vec4 g = texelFetch(dy_t, int(idx)), p = g * (texelFetch(x_t, int(idx)) - m);
            acc_dy += (g.x + g.y) + (g.z + g.w);
            acc_dyxc += (p.x + p.y) + (p.z + p.w);
        }
    } else {
        for (uint e = begin + t; e < end; e += gl_WorkGroupSize.x) {
            uint n = e / HW;
            uint idx = (n * C + c) * HW + (e - n * HW);
            float g = texelFetch(dy_t, int(idx >> 2))[idx & 3];
            acc_dy += g;
            acc_dyxc += g * (texelFetch(x_t, int(idx >> 2))[idx & 3] - m);
        }
    }
    const vec2 totals = workgroup_sum2(vec2(acc_dy, acc_dyxc));
    if (t == 0) {
        partial_dy[c * S + s] = totals.x;
        partial_dyxc[c * S + s] = totals.y;
    }
}
