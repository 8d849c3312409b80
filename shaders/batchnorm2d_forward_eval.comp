#version 450
// y = gamma * (x - running_mean) / sqrt(running_var + eps) + beta (inference: the running stats
// are constants). Laid out by plane like batchnorm2d_forward_train: channel constants once per
// plane.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer RunningMean { float running_mean[]; };
layout(std430, binding = 2) readonly buffer RunningVar { float running_var[]; };
layout(std430, binding = 3) readonly buffer Gamma { float gamma[]; };
layout(std430, binding = 4) readonly buffer Beta { float beta[]; };
layout(std430, binding = 5) writeonly buffer Y { float y[]; };
layout(push_constant) uniform Push { uint planes; uint C; uint HW; float eps; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint plane = gl_WorkGroupID.y; plane < planes; plane += gl_NumWorkGroups.y) {
        uint c = plane % C, base = plane * HW;
        float m = running_mean[c], k = 1.0 / sqrt(running_var[c] + eps), g = gamma[c], b = beta[c];
        for (uint i = gl_GlobalInvocationID.x; i < HW; i += stride) y[base + i] = g * ((x[base + i] - m) * k) + b;
    }
}
