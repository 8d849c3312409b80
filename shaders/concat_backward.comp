#version 450
// Splits dy (N x (Ca+Cb) x HW) into da (its first Ca channels) and db (the rest).
// Workgroup (x, c, n): channel c of sample n of dy, its HW pixels strided over the x groups; each
// element of da and db is written exactly once.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer DY { float dy[]; };
layout(std430, binding = 1) writeonly buffer DA { float da[]; };
layout(std430, binding = 2) writeonly buffer DB { float db[]; };
layout(push_constant) uniform Push { uint Ca; uint Cb; uint HW; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    uint c = gl_WorkGroupID.y, n = gl_WorkGroupID.z;
    uint src = (n * (Ca + Cb) + c) * HW;
    if (c < Ca) {
        uint dst = (n * Ca + c) * HW;
        for (uint i = gl_GlobalInvocationID.x; i < HW; i += stride) da[dst + i] = dy[src + i];
    } else {
        uint dst = (n * Cb + c - Ca) * HW;
        for (uint i = gl_GlobalInvocationID.x; i < HW; i += stride) db[dst + i] = dy[src + i];
    }
}
