#version 450
// Eval-mode dX: the running stats are constants, so dX = dy * gamma / sqrt(running_var + eps).
// Laid out by plane like batchnorm2d_forward_train: channel constants once per plane.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer DY { float dy[]; };
layout(std430, binding = 1) readonly buffer RunningVar { float running_var[]; };
layout(std430, binding = 2) readonly buffer Gamma { float gamma[]; };
layout(std430, binding = 3) writeonly buffer DX { float dx[]; };
layout(push_constant) uniform Push { uint planes; uint C; uint HW; float eps; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint plane = gl_WorkGroupID.y; plane < planes; plane += gl_NumWorkGroups.y) {
        uint c = plane % C, base = plane * HW;
        float scale = gamma[c] / sqrt(running_var[c] + eps);
        for (uint i = gl_GlobalInvocationID.x; i < HW; i += stride) dx[base + i] = dy[base + i] * scale;
    }
}
