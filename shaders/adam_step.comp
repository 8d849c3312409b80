#version 450
// Adam's per-step state, advanced on the GPU so one recording serves every step: t += 1 and the
// bias corrections c = 1 - beta^t by the recurrence c_t = (1 - beta) + beta * c_{t-1} (positive
// terms only: no cancellation, unlike 1 - pow(beta, t) in fp32), then step_size = lr / c1 and
// sqrt(c2) for adam_update. lr is written by the host when it changes. Run with one invocation.
layout(local_size_x = 1, local_size_x_id = 0) in;

layout(std430, binding = 0) buffer State { float lr; uint t; float c1; float c2; float step_size; float c2_sqrt; };
layout(push_constant) uniform Push { float beta1; float beta2; float one_minus_beta1; float one_minus_beta2; };

void main() {
    if (gl_GlobalInvocationID.x != 0) return;
    t += 1;
    c1 = one_minus_beta1 + beta1 * c1;
    c2 = one_minus_beta2 + beta2 * c2;
    step_size = lr / c1;
    c2_sqrt = sqrt(c2);
}
