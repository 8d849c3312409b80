#version 450
// Backward of max-unpooling as a gather: dx[p, o] = dy[p, idx[p, o]] for every element o of each
// pooled plane p, where idx holds the flat h * W + w position in dy's plane (as maxpool2d_forward
// writes it). One invocation per dx element.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Idx { uint idx[]; };
layout(std430, binding = 1) readonly buffer DY { float dy[]; };
layout(std430, binding = 2) writeonly buffer DX { float dx[]; };
// n: elements of dx; plane: H * W of dy; out_plane: elements per plane of dx.
layout(push_constant) uniform Push { uint n; uint plane; uint out_plane; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        uint p = i / out_plane;
        dx[i] = dy[p * plane + idx[i]];
    }
}
