#version 450
// dx = dy where y > 0, else 0 (PyTorch's threshold_backward: the gradient at 0 is 0), four
// elements an invocation (see relu_forward.comp for why, and the padding of the last vec4).
layout(local_size_x = 64, local_size_x_id = 0) in;
layout(std430, binding = 0) readonly buffer Y { vec4 y[]; };
layout(std430, binding = 1) readonly buffer DY { vec4 dy[]; };
layout(std430, binding = 2) writeonly buffer DX { vec4 dx[]; };
layout(push_constant) uniform Push { uint n4; };   // vec4s: ceil(elements / 4)
void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint i = gl_GlobalInvocationID.x; i < n4; i += stride) {
        vec4 g = dy[i];
        dx[i] = mix(vec4(0.0), g, greaterThan(y[i], vec4(0.0)));
    }
}
