#version 450
// Nearest-neighbour x2 upsampling over N*C planes of H x W: each invocation takes one input
// element x[p, h, w] and writes its 2x2 block y[p, 2h..2h+1, 2w..2w+1]. Per input rather than per
// output element: a quarter of the index arithmetic (measured 2x faster on lavapipe).
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) writeonly buffer Y { float y[]; };
layout(push_constant) uniform Push { uint n; uint H; uint W; };   // n: elements of x

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    uint plane = H * W, Wo = 2 * W;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        uint p = i / plane, r = i - p * plane;
        uint h = r / W, w = r - h * W;
        uint top = (p * 2 * H + 2 * h) * Wo + 2 * w;   // y[p, 2h, 2w]
        float v = x[i];
        y[top] = v;
        y[top + 1] = v;
        y[top + Wo] = v;
        y[top + Wo + 1] = v;
    }
}
