// The chunk size of the deterministic per-channel reductions (channel_sum_partial and
// batchnorm2d's stats and backward partials, with batchnorm2d_stats_finalize counting each
// chunk's elements the same way): `total` elements in S chunks of whole vec4s, so that planes of
// a whole number of vec4s are read four elements a load. One formula, because the partials and
// the finalize must agree on it, and because it fixes the summation order (and so the bits).
uint vec4_chunk(uint total, uint S) { return ((total + S - 1) / S + 3) / 4 * 4; }
