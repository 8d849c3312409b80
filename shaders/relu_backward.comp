#version 450
#extension GL_GOOGLE_include_directive : require
// dx = dy where y > 0, else 0 (PyTorch's threshold_backward: the gradient at 0 is 0), four
// elements an invocation (see relu_forward.comp for why, and the padding of the last vec4).
layout(local_size_x = 64, local_size_x_id = 0) in;
#include "texel_read.glsl"   // tensors read through texel views
layout(binding = 0) uniform samplerBuffer y_t;
layout(binding = 1) uniform samplerBuffer dy_t;
layout(std430, binding = 2) writeonly buffer DX { vec4 dx[]; };
layout(push_constant) uniform Push { uint n4; };   // vec4s: ceil(elements / 4)
void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint i = gl_GlobalInvocationID.x; i < n4; i += stride) {
        vec4 g = texelFetch(dy_t, int(i));
        dx[i] = mix(vec4(0.0), g, greaterThan(texelFetch(y_t, int(i)), vec4(0.0)));
    }
}
