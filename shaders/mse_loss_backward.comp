#version 450
// dPred = scale * (pred - target), scale = 2 / numel: the gradient of the mean squared error.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Pred { float pred[]; };
layout(std430, binding = 1) readonly buffer Target { float target[]; };
layout(std430, binding = 2) writeonly buffer DPred { float dpred[]; };
layout(push_constant) uniform Push { uint n; float scale; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) dpred[i] = scale * (pred[i] - target[i]);
}
