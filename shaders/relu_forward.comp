#version 450
#extension GL_GOOGLE_include_directive : require
// y = max(x, 0), four elements an invocation: on lavapipe a storage-buffer access with a per-lane
// address is a loop over the lanes that costs the same for a vec4 as for a float
// (../shared/docs/lavapipe-codegen.md), so vec4s move four times the data for the same cost.
// The last vec4 may run into the buffer's padding (the allocator rounds every buffer up to 16
// bytes), which is read and written but never used.
layout(local_size_x = 64, local_size_x_id = 0) in;
#include "texel_read.glsl"   // tensors read through texel views
layout(binding = 0) uniform samplerBuffer x_t;
layout(std430, binding = 1) writeonly buffer Y { vec4 y[]; };
layout(push_constant) uniform Push { uint n4; };   // vec4s: ceil(elements / 4)
void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint i = gl_GlobalInvocationID.x; i < n4; i += stride) y[i] = max(texelFetch(x_t, int(i)), vec4(0.0));
}
