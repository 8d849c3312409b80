#version 450
// Max-pool backward as a gather, one invocation per 2x2 block of each input plane: the blocks are
// the windows, plus partial blocks covering an odd last row or column, which the forward dropped.
// Each element of a window gets the window's dy if the forward picked it, else 0; elements of a
// dropped row or column get 0. Every dx element is written exactly once, no atomics. Per block
// rather than per element: a quarter of the index arithmetic, which dominates on CPU drivers.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Idx { uint idx[]; };
layout(std430, binding = 1) readonly buffer DY { float dy[]; };
layout(std430, binding = 2) writeonly buffer DX { float dx[]; };
// n: blocks (N*C * ceil(H/2) * ceil(W/2)); Hb x Wb: blocks per plane; Ho x Wo: windows per plane.
layout(push_constant) uniform Push { uint n; uint H; uint W; uint Hb; uint Wb; uint Ho; uint Wo; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    uint blocks = Hb * Wb;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        uint p = i / blocks, r = i - p * blocks;
        uint bh = r / Wb, bw = r - bh * Wb;
        uint winner = 0xffffffffu;   // matches no element: a dropped row or column
        float g = 0.0;
        if (bh < Ho && bw < Wo) {
            uint o = (p * Ho + bh) * Wo + bw;
            winner = idx[o];
            g = dy[o];
        }
        uint base = p * H * W;
        for (uint h = 2 * bh; h < min(2 * bh + 2, H); ++h) {
            for (uint w = 2 * bw; w < min(2 * bw + 2, W); ++w) {
                uint at = h * W + w;
                dx[base + at] = at == winner ? g : 0.0;
            }
        }
    }
}
