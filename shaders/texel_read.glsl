// Reading a tensor bound as an RGBA32F texel view (`uniform samplerBuffer`), four elements a
// texel: texelFetch(v, int(i)) is elements 4i .. 4i+3, element(v, e) one element. The allocator
// pads every buffer to whole texels (the padding's value is undefined: select it away, never
// multiply it).
// Why: on lavapipe a storage-buffer load with a per-lane address (any address that depends on
// the invocation, or sits in a loop or `if`) is a loop over the lanes of about 100 instructions
// a lane, where a texel fetch is one branch-free gather (../shared/docs/lavapipe-codegen.md).
// Measured in the UNet: per-channel constants looked up once per plane cost more than the plane
// itself on 8x8 and 16x16 planes; element-wise passes take 25-45% less time reading this way.
// A view holds at most maxTexelBufferElements texels (2^27 on lavapipe, NVIDIA, Intel: 2 GiB);
// Recording refuses a larger one, naming the limit.
float element(samplerBuffer v, uint e) { return texelFetch(v, int(e >> 2))[e & 3]; }
