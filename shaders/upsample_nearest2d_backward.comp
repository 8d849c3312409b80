#version 450
// Backward of nearest x2 upsampling: dx[p, h, w] = the sum of dy's 2x2 block at (2h, 2w), added
// row by row like PyTorch's CPU kernel. One invocation per dx element: no atomics, fixed order.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer DY { float dy[]; };
layout(std430, binding = 1) writeonly buffer DX { float dx[]; };
layout(push_constant) uniform Push { uint n; uint H; uint W; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    uint plane = H * W, Wo = 2 * W;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        uint p = i / plane, r = i - p * plane;
        uint h = r / W, w = r - h * W;
        uint top = (p * 2 * H + 2 * h) * Wo + 2 * w;   // dy[p, 2h, 2w]
        precise float s = dy[top] + dy[top + 1];
        s = s + dy[top + Wo];
        s = s + dy[top + Wo + 1];
        dx[i] = s;
    }
}
