#version 450
// One SGD update with momentum, in place (torch.optim.SGD 1.13):
//   g = grad + weight_decay * p
//   b = g on the first step (t == 1), else b = momentum * b + (1 - dampening) * g
//   g = g + momentum * b (nesterov) or g = b
//   p = p - lr * g
// with lr and t from the step state that sgd_step wrote earlier in the same submission.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer State { float lr; uint t; };
layout(std430, binding = 1) buffer Param { float p[]; };
layout(std430, binding = 2) readonly buffer Grad { float grad[]; };
layout(std430, binding = 3) buffer Momentum { float buf[]; };
layout(push_constant) uniform Push {
    uint n;
    float weight_decay; float momentum; float one_minus_dampening; uint nesterov;
};

void main() {
    float rate = lr;
    bool first = t == 1;
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        float pi = p[i];
        float g = grad[i] + weight_decay * pi;
        float b = first ? g : momentum * buf[i] + one_minus_dampening * g;
        buf[i] = b;
        p[i] = pi - rate * (nesterov != 0 ? g + momentum * b : b);
    }
}
