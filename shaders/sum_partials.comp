#version 450
// Stage 2 of deterministic reductions: out[m] = sum over s of partial[m * S + s], added in order
// s = 0, 1, ..., S-1 (S is small), optionally times `scale` (1/count for means).
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Partial { float partial[]; };
layout(std430, binding = 1) writeonly buffer Out { float out_[]; };
layout(push_constant) uniform Push { uint M; uint S; float scale; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint m = gl_GlobalInvocationID.x; m < M; m += stride) {
        float acc = 0.0;
        for (uint s = 0; s < S; ++s) acc += partial[m * S + s];
        out_[m] = acc * scale;
    }
}
