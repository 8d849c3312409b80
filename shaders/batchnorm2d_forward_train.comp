#version 450
// y = gamma * (x - mean) * invstd + beta, with the batch's per-channel mean and invstd (written
// by batchnorm2d_stats_finalize). NCHW: element i is in channel (i / HW) % C.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer Mean { float mean[]; };
layout(std430, binding = 2) readonly buffer Invstd { float invstd[]; };
layout(std430, binding = 3) readonly buffer Gamma { float gamma[]; };
layout(std430, binding = 4) readonly buffer Beta { float beta[]; };
layout(std430, binding = 5) writeonly buffer Y { float y[]; };
layout(push_constant) uniform Push { uint n; uint C; uint HW; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        uint c = (i / HW) % C;
        y[i] = gamma[c] * ((x[i] - mean[c]) * invstd[c]) + beta[c];
    }
}
