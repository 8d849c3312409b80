#version 450
// y = cat(a, b) along channels: y[n, c, hw] = c < Ca ? a[n, c, hw] : b[n, c - Ca, hw]. One
// invocation per element of y.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) writeonly buffer Y { float y[]; };
layout(push_constant) uniform Push { uint n; uint Ca; uint Cb; uint HW; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    uint C = Ca + Cb;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        uint plane = i / HW, hw = i - plane * HW;
        uint nb = plane / C, c = plane - nb * C;
        y[i] = c < Ca ? a[(nb * Ca + c) * HW + hw] : b[(nb * Cb + c - Ca) * HW + hw];
    }
}
