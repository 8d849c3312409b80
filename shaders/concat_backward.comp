#version 450
// Splits dy (N x (Ca+Cb) x HW) into da (its first Ca channels) and db (the rest). One invocation
// per element of dy; each element of da and db is written exactly once.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer DY { float dy[]; };
layout(std430, binding = 1) writeonly buffer DA { float da[]; };
layout(std430, binding = 2) writeonly buffer DB { float db[]; };
layout(push_constant) uniform Push { uint n; uint Ca; uint Cb; uint HW; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    uint C = Ca + Cb;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        uint plane = i / HW, hw = i - plane * HW;
        uint nb = plane / C, c = plane - nb * C;
        if (c < Ca)
            da[(nb * Ca + c) * HW + hw] = dy[i];
        else
            db[(nb * Cb + c - Ca) * HW + hw] = dy[i];
    }
}
