#version 450
// dx = dy where x > 0, else negative_slope * dy (PyTorch's leaky_relu_backward: from the input x,
// the gradient at x = 0 is negative_slope).
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer DY { float dy[]; };
layout(std430, binding = 2) writeonly buffer DX { float dx[]; };
layout(push_constant) uniform Push { uint n; float negative_slope; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) dx[i] = x[i] > 0.0 ? dy[i] : negative_slope * dy[i];
}
