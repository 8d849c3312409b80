#version 450
// y = a + b with b broadcast against a (N x C x H x W), element by element; kind says b's shape
// (layers::Broadcast): 0 the same as a, 1 N x 1 x H x W (shared by the channels), 2 1 x C x 1 x 1
// (one value per channel).
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) writeonly buffer Y { float y[]; };
layout(push_constant) uniform Push { uint n; uint C; uint HW; uint kind; };

uint b_index(uint i) {
    if (kind == 1) return (i / (C * HW)) * HW + i % HW;
    if (kind == 2) return (i / HW) % C;
    return i;
}

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) y[i] = a[i] + b[b_index(i)];
}
