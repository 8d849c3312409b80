#version 450
#extension GL_GOOGLE_include_directive : require
// Stage 1 of the mean losses (MSE and L1): partial[s] = sum over chunk s of f(pred - target),
// f = d^2 (MODE 0, MSE) or |d| (MODE 1, L1), the elements split into S equal chunks, one workgroup
// each. Each invocation adds a fixed strided subset of its chunk in order, then a fixed
// shared-memory tree combines them; sum_partials adds the S partials in order and divides by the
// element count. No atomics: the bits depend only on the shape.
layout(local_size_x = 64, local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
layout(constant_id = 3) const uint MODE = 0;

layout(std430, binding = 0) readonly buffer Pred { float pred[]; };
layout(std430, binding = 1) readonly buffer Target { float target[]; };
layout(std430, binding = 2) writeonly buffer Partial { float partial[]; };
layout(push_constant) uniform Push { uint n; uint S; };

#include "workgroup_sum.glsl"

void main() {
    uint s = gl_WorkGroupID.x, t = gl_LocalInvocationID.x;
    uint chunk = (n + S - 1) / S;
    uint begin = s * chunk, end = min(begin + chunk, n);
    float acc = 0.0;
    for (uint i = begin + t; i < end; i += gl_WorkGroupSize.x) {
        float d = pred[i] - target[i];
        acc += MODE == 0 ? d * d : abs(d);
    }
    const float total = workgroup_sum(acc);
    if (t == 0) partial[s] = total;
}
