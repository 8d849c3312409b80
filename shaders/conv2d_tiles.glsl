// Register-blocked tile product shared by the conv2d shaders (included, not compiled alone).
//
// A workgroup of T invocations computes a TILE_M x TILE_N tile of C = A * B, where the reduction
// runs in chunks of KC: each chunk, the including shader stores A[m, kk] (store_a) and B[kk, n]
// (store_b) into shared memory (zero outside the matrices), then every invocation adds its
// BM x BN block:
//   rows    tm + i * TM  (i < BM),  TM = TILE_M / BM invocations along M
//   columns tn + j * TN  (j < BN),  TN = T / TM      invocations along N,  TILE_N = BN * TN.
// The strided (not contiguous) block keeps neighbouring invocations on neighbouring addresses
// in device memory (coalesced loads of B and stores of C on discrete GPUs).
//
// In shared memory the tiles are stored permuted so that each invocation's BM rows (BN columns)
// are contiguous and 16-byte aligned: row m of a chunk sits at (m % TM) * BM + m / TM. The
// product then reads A and B as vec4s, one load feeding 4 x BN (BM x 4) multiply-adds. On CPU
// drivers (lavapipe), which load each lane of a shared access on its own, loads per
// multiply-add decide the speed: vec4 loads measured several times faster than scalar ones.
// Each value read from shared memory is used BN (or BM) times from registers.
//
// Specialization constants: 0-2 the workgroup size (T, 1, 1); 3 TILE_M; 4 KC; 5 BM; 6 BN.
// BM and BN are multiples of 4 (at most 8); the host keeps TILE_N >= T (BN >= TM), so every
// invocation loads whole columns of B.
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

shared vec4 As[KC * TILE_M / 4];   // chunk row kk, permuted row (m % TM) * BM + m / TM
shared vec4 Bs[KC * TILE_N / 4];   // chunk row kk, permuted column (n % TN) * BN + n / TN

vec4 acc[MAX_BLOCK][MAX_BLOCK / 4];   // acc[i][j / 4][j % 4]: row tm + i * TM, column tn + j * TN

void clear_block() {
    for (uint i = 0; i < BM; ++i)
        for (uint j = 0; j < BN / 4; ++j) acc[i][j] = vec4(0.0);
}

float block(uint i, uint j) { return acc[i][j / 4][j % 4]; }

void store_a(uint kk, uint m, float v) {
    uint p = kk * TILE_M + (m % TM) * BM + m / TM;
    As[p / 4][p % 4] = v;
}

void store_b(uint kk, uint n, float v) {
    uint p = kk * TILE_N + (n % TN) * BN + n / TN;
    Bs[p / 4][p % 4] = v;
}

// acc += As * Bs over one chunk, for the block of invocation (tm, tn).
void multiply_tiles(uint tm, uint tn) {
    const uint a0 = tm * (BM / 4), b0 = tn * (BN / 4);
    for (uint kk = 0; kk < KC; ++kk) {
        vec4 a[MAX_BLOCK / 4], b[MAX_BLOCK / 4];
        for (uint i = 0; i < BM / 4; ++i) a[i] = As[kk * (TILE_M / 4) + a0 + i];
        for (uint j = 0; j < BN / 4; ++j) b[j] = Bs[kk * (TILE_N / 4) + b0 + j];
        for (uint i = 0; i < BM; ++i)
            for (uint j = 0; j < BN / 4; ++j) acc[i][j] += a[i / 4][i % 4] * b[j];
    }
}

// Loads the A chunk from a row-major matrix A (M x K, row stride K) at rows m0.., columns k0..
// of the reduction, zero outside it. Both conv2d_forward (A = w) and conv2d_backward_input
// (A = w with its channel axes swapped) read their A this way. The index is clamped rather than
// the load skipped, so that the load is not under a branch.
#define LOAD_A_ROW_MAJOR(A, M, K, m0, k0)                                       \
    for (uint e = gl_LocalInvocationID.x; e < TILE_M * KC; e += T) {          \
        uint m_ = e / KC, kk_ = e - m_ * KC;                                    \
        uint row_ = (m0) + m_, col_ = (k0) + kk_;                               \
        bool in_ = row_ < (M) && col_ < (K);                                    \
        float v_ = A[in_ ? row_ * (K) + col_ : 0];                              \
        store_a(kk_, m_, in_ ? v_ : 0.0);                                       \
    }
