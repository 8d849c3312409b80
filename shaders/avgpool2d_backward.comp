#version 450
// Average-pool backward as a gather, one invocation per 2x2 block of each input plane: the blocks
// are the windows, plus partial blocks covering an odd last row or column, which the forward
// dropped. Each element of a window gets the window's dy / 4; elements of a dropped row or column
// get 0. Every dx element is written exactly once, no atomics.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer DY { float dy[]; };
layout(std430, binding = 1) writeonly buffer DX { float dx[]; };
// n: blocks (N*C * ceil(H/2) * ceil(W/2)); Hb x Wb: blocks per plane; Ho x Wo: windows per plane.
layout(push_constant) uniform Push { uint n; uint H; uint W; uint Hb; uint Wb; uint Ho; uint Wo; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    uint blocks = Hb * Wb;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        uint p = i / blocks, r = i - p * blocks;
        uint bh = r / Wb, bw = r - bh * Wb;
        float g = bh < Ho && bw < Wo ? dy[(p * Ho + bh) * Wo + bw] * 0.25 : 0.0;
        uint base = p * H * W;
        for (uint h = 2 * bh; h < min(2 * bh + 2, H); ++h)
            for (uint w = 2 * bw; w < min(2 * bw + 2, W); ++w) dx[base + h * W + w] = g;
    }
}
