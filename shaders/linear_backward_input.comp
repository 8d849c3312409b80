#version 450
// nn.Linear input gradient: dx[n, i] = sum over o of dy[n, o] * w[o, i] (the sum in order of o).
// One invocation per element of dx, so neighbouring invocations read neighbouring weights.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer DY { float dy[]; };
layout(std430, binding = 1) readonly buffer W { float w[]; };
layout(std430, binding = 2) writeonly buffer DX { float dx[]; };
layout(push_constant) uniform Push { uint N; uint I; uint O; uint unused; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint e = gl_GlobalInvocationID.x; e < N * I; e += stride) {
        uint n = e / I, i = e - n * I;
        float acc = 0.0;
        for (uint o = 0; o < O; ++o) acc += dy[n * O + o] * w[o * I + i];
        dx[e] = acc;
    }
}
