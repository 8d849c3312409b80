#version 450
// Stage 1 of the deterministic weight gradient, tiled like the forward (conv2d_tiles.glsl):
//   dw[co, r] = sum over (n, oy, ox) of dy[n, co, oy, ox] * x[n, ci, oy*s - p + ky*d, ox*s - p + kx*d]
//   M = Cout (rows), N = K = Cin * k * k (columns r = (ci, ky, kx)), the reduction over output
//   pixels. The reduction walks output rows (n, oy) in segments of KC pixels along ox, so every
//   chunk of the reduction is one stretch of one row: addresses are computed without division.
// Workgroup (x, y, z): column tile x (grid-stride), row tile y, and chunk z of S: chunk s takes
// output rows [s * rows_per_chunk, (s + 1) * rows_per_chunk) of the N * OH rows and writes
//   partial[(co * K + r) * S + s];
// sum_partials then adds the S partials of each weight in order. The split depends only on the
// shapes: the same input gives the same bits, run after run.
#extension GL_GOOGLE_include_directive : require
#include "conv2d_tiles.glsl"

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer DY { float dy[]; };
layout(std430, binding = 2) writeonly buffer Partial { float partial[]; };
layout(push_constant) uniform Push {
    uint N, Cin, H, W, Cout, OH, OW, kernel, stride, padding, dilation, S;
};

void main() {
    const uint t = gl_LocalInvocationID.x;
    const uint tn = t % TN, tm = t / TN;
    const uint KK = kernel * kernel, K = Cin * KK, HW = H * W, OHW = OH * OW;
    const uint m0 = gl_WorkGroupID.y * TILE_M, s = gl_WorkGroupID.z;
    const uint rows = N * OH, rows_per_chunk = (rows + S - 1) / S;
    const uint row_begin = min(s * rows_per_chunk, rows), row_end = min(row_begin + rows_per_chunk, rows);
    const uint tiles_n = (K + TILE_N - 1) / TILE_N;

    for (uint tile = gl_WorkGroupID.x; tile < tiles_n; tile += gl_NumWorkGroups.x) {
        const uint r0 = tile * TILE_N;
        // The weight columns this invocation loads: which channel and kernel offset they are.
        uint channel[MAX_COLS];
        int ky_off[MAX_COLS], kx_off[MAX_COLS];
        bool valid[MAX_COLS];
        for (uint j = 0; j < COLS_PER_INVOCATION; ++j) {
            uint r = r0 + t + j * T;
            valid[j] = r < K;
            uint ci = r / KK, rest = r - ci * KK, ky = rest / kernel, kx = rest - ky * kernel;
            channel[j] = ci * HW;
            ky_off[j] = int(ky * dilation) - int(padding);
            kx_off[j] = int(kx * dilation) - int(padding);
        }

        clear_block();
        for (uint row = row_begin; row < row_end; ++row) {
            uint n = row / OH, oy = row - n * OH;
            uint dy_row = n * Cout * OHW + oy * OW, x_image = n * Cin * HW;
            int iy_base = int(oy * stride);
            for (uint ox0 = 0; ox0 < OW; ox0 += KC) {
                barrier();   // the previous chunk's products are done with As and Bs
                for (uint e = t; e < TILE_M * KC; e += T) {
                    uint m = e / KC, kk = e - m * KC, co = m0 + m, ox = ox0 + kk;
                    bool in_ = co < Cout && ox < OW;
                    float v = dy[in_ ? dy_row + co * OHW + ox : 0];
                    store_a(kk, m, in_ ? v : 0.0);
                }
                for (uint kk = 0; kk < KC; ++kk) {
                    uint ox = ox0 + kk;
                    int ix_base = int(ox * stride);
                    for (uint j = 0; j < COLS_PER_INVOCATION; ++j) {
                        int iy = iy_base + ky_off[j], ix = ix_base + kx_off[j];
                        bool inside = ox < OW && valid[j] && iy >= 0 && iy < int(H) && ix >= 0 && ix < int(W);
                        float v = x[inside ? x_image + channel[j] + uint(iy) * W + uint(ix) : 0];   // clamped, not branched
                        store_b(kk, t + j * T, inside ? v : 0.0);
                    }
                }
                barrier();
                multiply_tiles(tm, tn);
            }
        }

        for (uint i = 0; i < BM; ++i) {
            uint co = m0 + tm + i * TM;
            if (co >= Cout) continue;
            for (uint j = 0; j < BN; ++j) {
                uint r = r0 + tn + j * TN;
                if (r < K) partial[(co * K + r) * S + s] = block(i, j);
            }
        }
    }
}
