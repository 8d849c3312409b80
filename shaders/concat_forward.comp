#version 450
// y = cat(a, b) along channels: y[n, c, :] = c < Ca ? a[n, c, :] : b[n, c - Ca, :].
// Workgroup (x, c, n): channel c of sample n of y, its HW pixels strided over the x groups. The
// 3-D grid needs no divisions per element, and which input to read is uniform per workgroup.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) writeonly buffer Y { float y[]; };
layout(push_constant) uniform Push { uint Ca; uint Cb; uint HW; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    uint c = gl_WorkGroupID.y, n = gl_WorkGroupID.z;
    uint dst = (n * (Ca + Cb) + c) * HW;
    if (c < Ca) {
        uint src = (n * Ca + c) * HW;
        for (uint i = gl_GlobalInvocationID.x; i < HW; i += stride) y[dst + i] = a[src + i];
    } else {
        uint src = (n * Cb + c - Ca) * HW;
        for (uint i = gl_GlobalInvocationID.x; i < HW; i += stride) y[dst + i] = b[src + i];
    }
}
