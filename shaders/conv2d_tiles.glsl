// Register-blocked tile product shared by the conv2d shaders (included, not compiled alone).
//
// A workgroup of T invocations computes a TILE_M x TILE_N tile of C = A * B, where the reduction
// runs in chunks of KC: each chunk, the including shader stores A[m, kk] into As and B[kk, n]
// into Bs (zero outside the matrices), then every invocation adds its BM x BN block:
//   rows    tm + i * TM  (i < BM),  TM = TILE_M / BM invocations along M
//   columns tn + j * TN  (j < BN),  TN = T / TM      invocations along N,  TILE_N = BN * TN.
// Each value read from shared memory is used BN (or BM) times from registers. The strided (not
// contiguous) block keeps neighbouring invocations on neighbouring addresses, which discrete
// GPUs want for shared-memory banks and for the final stores.
//
// Specialization constants: 0-2 the workgroup size (T, 1, 1); 3 TILE_M; 4 KC; 5 BM; 6 BN.
// The host keeps TILE_N >= T (BN >= TM), so every invocation loads whole columns of B.
layout(local_size_x = 64, local_size_y = 1, local_size_z = 1,
       local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
layout(constant_id = 3) const uint TILE_M = 16;
layout(constant_id = 4) const uint KC = 8;
layout(constant_id = 5) const uint BM = 4;
layout(constant_id = 6) const uint BN = 4;

const uint T = gl_WorkGroupSize.x;
const uint TM = TILE_M / BM;
const uint TN = T / TM;
const uint TILE_N = BN * TN;
const uint COLS_PER_INVOCATION = TILE_N / T;   // the B columns each invocation loads
const uint MAX_BLOCK = 8;                      // BM, BN <= 8
const uint MAX_COLS = 8;

shared float As[KC * TILE_M];   // As[kk * TILE_M + m]
shared float Bs[KC * TILE_N];   // Bs[kk * TILE_N + n]

float acc[MAX_BLOCK][MAX_BLOCK];

void clear_block() {
    for (uint i = 0; i < BM; ++i)
        for (uint j = 0; j < BN; ++j) acc[i][j] = 0.0;
}

// acc += As * Bs over one chunk, for the block of invocation (tm, tn).
void multiply_tiles(uint tm, uint tn) {
    for (uint kk = 0; kk < KC; ++kk) {
        float a[MAX_BLOCK], b[MAX_BLOCK];
        for (uint i = 0; i < BM; ++i) a[i] = As[kk * TILE_M + tm + i * TM];
        for (uint j = 0; j < BN; ++j) b[j] = Bs[kk * TILE_N + tn + j * TN];
        for (uint i = 0; i < BM; ++i)
            for (uint j = 0; j < BN; ++j) acc[i][j] += a[i] * b[j];
    }
}

// Loads As from a row-major matrix A (M x K, row stride K) at rows m0.., columns k0.. of the
// reduction, zero outside it. Both conv2d_forward (A = w) and conv2d_backward_input (A = w with
// its channel axes swapped) read their A this way.
#define LOAD_A_ROW_MAJOR(A, M, K, m0, k0)                                       \
    for (uint e = gl_LocalInvocationID.x; e < TILE_M * KC; e += T) {          \
        uint m_ = e / KC, kk_ = e - m_ * KC;                                    \
        uint row_ = (m0) + m_, col_ = (k0) + kk_;                               \
        As[kk_ * TILE_M + m_] = row_ < (M) && col_ < (K) ? A[row_ * (K) + col_] : 0.0; \
    }
