#version 450
// y = 1 / (1 + exp(-x)), evaluated from e = exp(-|x|) <= 1 so nothing overflows:
// x >= 0: 1 / (1 + e); x < 0: e / (1 + e).
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) writeonly buffer Y { float y[]; };
layout(push_constant) uniform Push { uint n; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        float v = x[i];
        float e = exp(-abs(v));
        y[i] = (v >= 0.0 ? 1.0 : e) / (1.0 + e);
    }
}
