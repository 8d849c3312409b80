#version 450
// out[n, 0, h, w] = sum over c of a[n, c, h, w] (times b[n, c, h, w] when use_b is 1): the gradient
// of an input broadcast over channels. One invocation per pixel adds c = 0, 1, ..., C-1 in order:
// deterministic, no atomics.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) writeonly buffer Out { float out_[]; };
layout(push_constant) uniform Push { uint N; uint C; uint HW; uint use_b; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint p = gl_GlobalInvocationID.x; p < N * HW; p += stride) {
        uint n = p / HW, i = p - n * HW;
        float acc = 0.0;
        for (uint c = 0; c < C; ++c) {
            uint idx = (n * C + c) * HW + i;
            acc += use_b != 0 ? a[idx] * b[idx] : a[idx];
        }
        out_[p] = acc;
    }
}
