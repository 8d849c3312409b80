#version 450
// y = a + b, element by element (same shapes). Used to sum the gradients of a tensor that feeds
// several consumers (the UNet skips); its backward is the identity for both inputs.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) writeonly buffer Y { float y[]; };
layout(push_constant) uniform Push { uint n; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) y[i] = a[i] + b[i];
}
