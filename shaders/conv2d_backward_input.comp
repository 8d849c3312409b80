#version 450
// Convolution input gradient as a gather, tiled like the forward (conv2d_tiles.glsl):
//   dx[n, ci, iy, ix] = sum over r = (co, ky, kx) of w[co, ci, ky, kx] * dy[n, co, oy, ox]
//   where oy = (iy + p - ky*d) / s and ox = (ix + p - kx*d) / s when both divide exactly and
//   fall inside the output; otherwise the term is zero.
//   M = Cin (rows), N = batch * H * W (columns: input pixels), K = Cout * k * k.
// A is the weight with its channel axes swapped, wt[ci, co, ky, kx] (conv2d_weight_swap_channels),
// so its rows are contiguous. Each dX element belongs to exactly one invocation: no atomics, and
// the sum runs over r in a fixed order.
// Specialization constant 7 is the stride, so the division by it compiles to a shift or a
// multiply.
#extension GL_GOOGLE_include_directive : require
#include "conv2d_tiles.glsl"
layout(constant_id = 7) const uint STRIDE = 1;

layout(std430, binding = 0) readonly buffer DY { float dy[]; };
layout(std430, binding = 1) readonly buffer WT { float wt[]; };     // Cin x (Cout * k * k)
layout(std430, binding = 2) writeonly buffer DX { float dx[]; };
layout(push_constant) uniform Push {
    uint N, Cin, H, W, Cout, OH, OW, kernel, padding, dilation;
};

void main() {
    const uint t = gl_LocalInvocationID.x;
    const uint tn = t % TN, tm = t / TN;   // neighbours on neighbouring pixels
    const uint K = Cout * kernel * kernel, HW = H * W, OHW = OH * OW, Q = N * HW;
    const uint m0 = gl_WorkGroupID.y * TILE_M;
    const uint tiles_n = (Q + TILE_N - 1) / TILE_N;

    for (uint tile = gl_WorkGroupID.x; tile < tiles_n; tile += gl_NumWorkGroups.x) {
        const uint q0 = tile * TILE_N;
        uint base[MAX_COLS];
        int ty0[MAX_COLS], tx0[MAX_COLS];
        bool valid[MAX_COLS];
        for (uint j = 0; j < COLS_PER_INVOCATION; ++j) {
            uint q = q0 + t + j * T;
            valid[j] = q < Q;
            uint n = q / HW, pix = q - n * HW, iy = pix / W, ix = pix - iy * W;
            base[j] = n * Cout * OHW;
            ty0[j] = int(iy + padding);
            tx0[j] = int(ix + padding);
        }

        clear_block();
        uint co = 0, ky = 0, kx = 0;   // r = k0 + kk decomposed, advanced by counting
        for (uint k0 = 0; k0 < K; k0 += KC) {
            barrier();
            LOAD_A_ROW_MAJOR(wt, Cin, K, m0, k0)
            for (uint kk = 0; kk < KC; ++kk) {
                bool in_k = k0 + kk < K;
                int dky = int(ky * dilation), dkx = int(kx * dilation);
                uint channel = co * OHW;
                for (uint j = 0; j < COLS_PER_INVOCATION; ++j) {
                    int sy = ty0[j] - dky, sx = tx0[j] - dkx;   // oy * s, ox * s if they exist
                    uint oy = uint(sy) / STRIDE, ox = uint(sx) / STRIDE;
                    bool inside = in_k && valid[j] && sy >= 0 && sx >= 0 && oy * STRIDE == uint(sy) &&
                                  ox * STRIDE == uint(sx) && oy < OH && ox < OW;
                    float v = dy[inside ? base[j] + channel + oy * OW + ox : 0];   // clamped, not branched
                    store_b(kk, t + j * T, inside ? v : 0.0);
                }
                if (++kx == kernel) { kx = 0; if (++ky == kernel) { ky = 0; ++co; } }
            }
            barrier();
            multiply_tiles(tm, tn);
        }

        // Store the block. Column j is pixel q0 + tn + j * TN: (n, pix) advance by TN without
        // dividing (integer division is slow on CPU drivers, and this runs per tile).
        uint n = (q0 + tn) / HW, pix = q0 + tn - n * HW;
        for (uint j = 0; j < BN && q0 + tn + j * TN < Q; ++j) {
            for (uint i = 0; i < BM; ++i) {
                uint ci = m0 + tm + i * TM;
                if (ci < Cin) dx[(n * Cin + ci) * HW + pix] = block(i, j);
            }
            for (pix += TN; pix >= HW; pix -= HW) ++n;
        }
    }
}
