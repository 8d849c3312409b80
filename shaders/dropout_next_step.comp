#version 450
// Advances dropout's step counter (step += 1), so the next masks differ. Run with one invocation.
layout(local_size_x = 1, local_size_x_id = 0) in;

layout(std430, binding = 0) buffer Step { uint step; };

void main() {
    if (gl_GlobalInvocationID.x == 0) step += 1;
}
