#version 450
// Convolution forward, y = w * x_patch + b, as a tiled product (conv2d_tiles.glsl):
//   M = Cout (rows: output channels), N = batch * OH * OW (columns: output pixels of all images),
//   reduction r = (ci, ky, kx) over K = Cin * k * k.
// Workgroup (x, y) computes column tile x (grid-stride over the tiles) and row tile y.
// Every invocation loads whole columns of the input patch and walks r = 0, 1, ..., K-1 in order,
// so (ci, ky, kx) advance by counting: no integer division in the reduction loop.
#extension GL_GOOGLE_include_directive : require
#include "conv2d_tiles.glsl"

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer Wt { float w[]; };      // Cout x (Cin * k * k)
layout(std430, binding = 2) readonly buffer Bias { float bias[]; };
layout(std430, binding = 3) writeonly buffer Y { float y[]; };
layout(push_constant) uniform Push {
    uint N, Cin, H, W, Cout, OH, OW, kernel, stride, padding, dilation, has_bias;
};

void main() {
    const uint t = gl_LocalInvocationID.x;
    const uint tn = t % TN, tm = t / TN;   // neighbours on neighbouring pixels
    const uint K = Cin * kernel * kernel, OHW = OH * OW, Q = N * OHW;
    const uint m0 = gl_WorkGroupID.y * TILE_M;
    const uint tiles_n = (Q + TILE_N - 1) / TILE_N;

    for (uint tile = gl_WorkGroupID.x; tile < tiles_n; tile += gl_NumWorkGroups.x) {
        const uint q0 = tile * TILE_N;
        // The columns this invocation loads: where their patches start in x.
        uint base[MAX_COLS];
        int iy0[MAX_COLS], ix0[MAX_COLS];
        bool valid[MAX_COLS];
        for (uint j = 0; j < COLS_PER_INVOCATION; ++j) {
            uint q = q0 + t + j * T;
            valid[j] = q < Q;
            uint n = q / OHW, pix = q - n * OHW, oy = pix / OW, ox = pix - oy * OW;
            base[j] = n * Cin * H * W;
            iy0[j] = int(oy * stride) - int(padding);
            ix0[j] = int(ox * stride) - int(padding);
        }

        clear_block();
        uint ci = 0, ky = 0, kx = 0;   // r = k0 + kk decomposed, advanced by counting
        for (uint k0 = 0; k0 < K; k0 += KC) {
            barrier();   // the previous chunk's products are done with As and Bs
            LOAD_A_ROW_MAJOR(w, Cout, K, m0, k0)
            for (uint kk = 0; kk < KC; ++kk) {
                bool in_k = k0 + kk < K;
                int dy = int(ky * dilation), dx = int(kx * dilation);
                uint channel = ci * H * W;
                for (uint j = 0; j < COLS_PER_INVOCATION; ++j) {
                    int iy = iy0[j] + dy, ix = ix0[j] + dx;
                    bool inside = in_k && valid[j] && iy >= 0 && iy < int(H) && ix >= 0 && ix < int(W);
                    float v = x[inside ? base[j] + channel + uint(iy) * W + uint(ix) : 0];   // clamped, not branched
                    store_b(kk, t + j * T, inside ? v : 0.0);
                }
                if (++kx == kernel) { kx = 0; if (++ky == kernel) { ky = 0; ++ci; } }
            }
            barrier();
            multiply_tiles(tm, tn);
        }

        // Store the block. Column j is pixel q0 + tn + j * TN: (n, pix) advance by TN without
        // dividing (integer division is slow on CPU drivers, and this runs per tile).
        float b[MAX_BLOCK];
        for (uint i = 0; i < BM; ++i) {
            uint co = m0 + tm + i * TM;
            b[i] = has_bias != 0 && co < Cout ? bias[co] : 0.0;
        }
        uint n = (q0 + tn) / OHW, pix = q0 + tn - n * OHW;
        for (uint j = 0; j < BN && q0 + tn + j * TN < Q; ++j) {
            for (uint i = 0; i < BM; ++i) {
                uint co = m0 + tm + i * TM;
                if (co < Cout) y[(n * Cout + co) * OHW + pix] = block(i, j) + b[i];
            }
            for (pix += TN; pix >= OHW; pix -= OHW) ++n;
        }
    }
}
