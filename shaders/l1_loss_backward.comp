#version 450
// dPred = scale * sign(pred - target), scale = 1 / numel: the gradient of the mean absolute error,
// 0 where pred == target (PyTorch's sign(0) = 0). The sign comes from comparisons, not from a
// subtraction a device without denormals could flush to 0.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Pred { float pred[]; };
layout(std430, binding = 1) readonly buffer Target { float target[]; };
layout(std430, binding = 2) writeonly buffer DPred { float dpred[]; };
layout(push_constant) uniform Push { uint n; float scale; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        float p = pred[i], t = target[i];
        dpred[i] = p > t ? scale : (p < t ? -scale : 0.0);
    }
}
