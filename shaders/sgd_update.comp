#version 450
// One SGD update without momentum, in place (torch.optim.SGD 1.13, momentum 0):
//   p = p - lr * (grad + weight_decay * p)
// with lr from the step state.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer State { float lr; uint t; };
layout(std430, binding = 1) buffer Param { float p[]; };
layout(std430, binding = 2) readonly buffer Grad { float grad[]; };
layout(push_constant) uniform Push { uint n; float weight_decay; };

void main() {
    float rate = lr;
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        float pi = p[i];
        p[i] = pi - rate * (grad[i] + weight_decay * pi);
    }
}
