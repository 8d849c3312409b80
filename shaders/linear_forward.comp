#version 450
// nn.Linear forward: y[n, o] = b[o] + sum over i of x[n, i] * w[o, i] (the sum in order of i).
// One invocation per output; x is N x I, w is O x I (row-major), b has O entries (bound to w and
// unread when has_bias is 0).
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer W { float w[]; };
layout(std430, binding = 2) readonly buffer B { float b[]; };
layout(std430, binding = 3) writeonly buffer Y { float y[]; };
layout(push_constant) uniform Push { uint N; uint I; uint O; uint has_bias; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint e = gl_GlobalInvocationID.x; e < N * O; e += stride) {
        uint n = e / O, o = e - n * O;
        float acc = 0.0;
        for (uint i = 0; i < I; ++i) acc += x[n * I + i] * w[o * I + i];
        y[e] = has_bias != 0 ? acc + b[o] : acc;
    }
}
