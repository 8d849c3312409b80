#version 450
// y[n, c, h, w] += b[c], in place: the bias of a transposed convolution, whose product pass
// (conv2d_backward_input) has none. One invocation per element, grid-stride.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Bias { float b[]; };
layout(std430, binding = 1) buffer Y { float y[]; };   // read and written
layout(push_constant) uniform Push { uint n; uint C; uint HW; };   // n: elements of y

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) y[i] = y[i] + b[(i / HW) % C];
}
