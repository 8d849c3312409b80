#version 450
// SGD's per-step state, advanced on the GPU so one recording serves every step: t += 1 (the
// update shaders treat t == 1 as the first step). lr is written by the host when it changes.
// Run with one invocation.
layout(local_size_x = 1, local_size_x_id = 0) in;

layout(std430, binding = 0) buffer State { float lr; uint t; };
layout(push_constant) uniform Push { uint unused; };

void main() {
    if (gl_GlobalInvocationID.x != 0) return;
    t += 1;
}
