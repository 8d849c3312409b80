#version 450
// nn.Linear weight gradient: dw[o, i] = sum over n of dy[n, o] * x[n, i], the batch added in order
// n = 0, 1, ..., N-1 by the one invocation that owns dw[o, i]: deterministic, no atomics.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer DY { float dy[]; };
layout(std430, binding = 2) writeonly buffer DW { float dw[]; };
layout(push_constant) uniform Push { uint N; uint I; uint O; uint unused; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint e = gl_GlobalInvocationID.x; e < O * I; e += stride) {
        uint o = e / I, i = e - o * I;
        float acc = 0.0;
        for (uint n = 0; n < N; ++n) acc += dy[n * O + o] * x[n * I + i];
        dw[e] = acc;
    }
}
