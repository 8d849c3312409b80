#version 450
// One Adam or AdamW update of a parameter tensor, in place (torch.optim.Adam / torch.optim.AdamW
// 1.13), the weight decay as DECOUPLED says:
//   Adam  (DECOUPLED false): g = grad + weight_decay * p      (L2 penalty through the gradient)
//   AdamW (DECOUPLED true):  p = p * (1 - lr * weight_decay);  g = grad   (decay the parameter)
//   m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2
//   p = p - step_size * m / (sqrt(v) / c2_sqrt + eps)
// with lr, step_size = lr / (1 - beta1^t) and c2_sqrt = sqrt(1 - beta2^t) from the step state that
// adam_step wrote earlier in the same submission.
//
// DECOUPLED is a specialisation constant, not a push constant: an optimizer's mode never changes
// between replays, so each mode gets its own pipeline in which the driver folds the branch away.
// What runs is then the straight-line code of that mode alone, with no per-element test, and each
// mode's arithmetic is exactly what it was when Adam and AdamW had a shader each (same results,
// bit for bit). The push constants keep their layout.
layout(local_size_x = 64, local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
layout(constant_id = 3) const bool DECOUPLED = false;

layout(std430, binding = 0) readonly buffer State { float lr; uint t; float c1; float c2; float step_size; float c2_sqrt; };
layout(std430, binding = 1) buffer Param { float p[]; };
layout(std430, binding = 2) readonly buffer Grad { float grad[]; };
layout(std430, binding = 3) buffer M { float m[]; };
layout(std430, binding = 4) buffer V { float v[]; };
layout(push_constant) uniform Push {
    uint n;
    float beta1; float beta2; float one_minus_beta1; float one_minus_beta2; float eps; float weight_decay;
};

void main() {
    float size = step_size, corr = c2_sqrt, decay = 1.0 - lr * weight_decay;   // decay: AdamW's only
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        float pi, g;
        if (DECOUPLED) {
            pi = p[i] * decay;
            g = grad[i];
        } else {
            pi = p[i];
            g = grad[i] + weight_decay * pi;
        }
        float mi = beta1 * m[i] + one_minus_beta1 * g;
        float vi = beta2 * v[i] + one_minus_beta2 * g * g;
        m[i] = mi;
        v[i] = vi;
        p[i] = pi - size * mi / (sqrt(vi) / corr + eps);
    }
}
