#version 450
// Stage 1 of the training-mode batch statistics: for chunk s of channel c (the channel's N*HW
// values split into S equal chunks, as channel_sum does), two passes over the chunk:
//   partial_sum[c * S + s] = sum of the chunk
//   partial_m2[c * S + s]  = sum over the chunk of (x - chunk mean)^2
// The second pass re-reads the chunk the first just brought into cache, so the centred
// (accurate) variance costs one trip to memory, not two. batchnorm2d_stats_finalize combines the
// chunks exactly (Chan et al.'s parallel variance). Workgroup (s, c) = gl_WorkGroupID.xy; fixed
// strided assignment plus a fixed shared-memory tree: deterministic, no atomics.
layout(local_size_x = 64, local_size_x_id = 0) in;
// The summed tensors are read through RGBA32F texel views, four elements a texel: on lavapipe a
// texel fetch is one branch-free gather where a storage load is a loop over the lanes (measured
// in the UNet's training step: 20-35% less time in these passes).
#extension GL_GOOGLE_include_directive : require
#include "vec4_chunks.glsl"

layout(binding = 0) uniform samplerBuffer x_t;   // texels of 4 elements: see main()
layout(std430, binding = 1) writeonly buffer PartialSum { float partial_sum[]; };
layout(std430, binding = 2) writeonly buffer PartialM2 { float partial_m2[]; };
layout(push_constant) uniform Push { uint N; uint C; uint HW; uint S; };

#include "workgroup_sum.glsl"

void main() {
    uint s = gl_WorkGroupID.x, c = gl_WorkGroupID.y, t = gl_LocalInvocationID.x;
    uint total = N * HW;
    uint chunk = vec4_chunk(total, S);
    uint begin = min(s * chunk, total), end = min(begin + chunk, total);

    // Where a plane is a whole number of vec4s, four elements a load: on lavapipe a texel fetch is
    // one gather for four elements.
    const bool vec = HW % 4 == 0;
    const uint HW4 = HW / 4;
    float acc = 0.0;
    if (vec) {
        for (uint e = begin / 4 + t; e < end / 4; e += gl_WorkGroupSize.x) {
            uint n = e / HW4;
            vec4 v = texelFetch(x_t, int((n * C + c) * HW4 + (e - n * HW4)));
            acc += (v.x + v.y) + (v.z + v.w);
        }
    } else {
        for (uint e = begin + t; e < end; e += gl_WorkGroupSize.x) {
            uint n = e / HW, i = (n * C + c) * HW + (e - n * HW);
            acc += texelFetch(x_t, int(i >> 2))[i & 3];
        }
    }
    float sum = workgroup_sum(acc);
    float mean = end > begin ? sum / float(end - begin) : 0.0;

    acc = 0.0;
    if (vec) {
        for (uint e = begin / 4 + t; e < end / 4; e += gl_WorkGroupSize.x) {
            uint n = e / HW4;
            vec4 d = texelFetch(x_t, int((n * C + c) * HW4 + (e - n * HW4))) - mean;
            acc += (d.x * d.x + d.y * d.y) + (d.z * d.z + d.w * d.w);
        }
    } else {
        for (uint e = begin + t; e < end; e += gl_WorkGroupSize.x) {
            uint n = e / HW, i = (n * C + c) * HW + (e - n * HW);
            float d = texelFetch(x_t, int(i >> 2))[i & 3] - mean;
            acc += d * d;
        }
    }
    float m2 = workgroup_sum(acc);
    if (t == 0) {
        partial_sum[c * S + s] = sum;
        partial_m2[c * S + s] = m2;
    }
}
