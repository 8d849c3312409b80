#version 450
// y = a * x + b, element by element. The engine's smoke-test shader: tests use it to check
// dispatch, push constants, barriers between dependent dispatches and large grid-stride runs.
layout(local_size_x = 64, local_size_x_id = 0) in;   // 64 unless specialised

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) writeonly buffer Y { float y[]; };
layout(push_constant) uniform Push { uint n; float a; float b; };

void main() {
    // Grid-stride: the dispatch may have fewer invocations than elements (capped group count).
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        precise float v = a * x[i] + b;   // precise: no fused multiply-add, so the CPU agrees exactly
        y[i] = v;
    }
}
