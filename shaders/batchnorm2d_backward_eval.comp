#version 450
// Eval-mode dX: the running stats are constants, so dX = dy * gamma / sqrt(running_var + eps).
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer DY { float dy[]; };
layout(std430, binding = 1) readonly buffer RunningVar { float running_var[]; };
layout(std430, binding = 2) readonly buffer Gamma { float gamma[]; };
layout(std430, binding = 3) writeonly buffer DX { float dx[]; };
layout(push_constant) uniform Push { uint n; uint C; uint HW; float eps; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        uint c = (i / HW) % C;
        dx[i] = dy[i] * (gamma[c] / sqrt(running_var[c] + eps));
    }
}
