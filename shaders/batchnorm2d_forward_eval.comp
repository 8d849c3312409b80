#version 450
// y = gamma * (x - running_mean) / sqrt(running_var + eps) + beta (inference: the running
// stats are constants). NCHW: element i is in channel (i / HW) % C.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer RunningMean { float running_mean[]; };
layout(std430, binding = 2) readonly buffer RunningVar { float running_var[]; };
layout(std430, binding = 3) readonly buffer Gamma { float gamma[]; };
layout(std430, binding = 4) readonly buffer Beta { float beta[]; };
layout(std430, binding = 5) writeonly buffer Y { float y[]; };
layout(push_constant) uniform Push { uint n; uint C; uint HW; float eps; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        uint c = (i / HW) % C;
        float invstd = 1.0 / sqrt(running_var[c] + eps);
        y[i] = gamma[c] * ((x[i] - running_mean[c]) * invstd) + beta[c];
    }
}
