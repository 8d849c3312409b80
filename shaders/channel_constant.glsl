// One float of a per-channel vector bound as an RGBA32F texel view (uniform samplerBuffer):
// element c is component c % 4 of texel c / 4 (the allocator pads every buffer to whole texels).
// On lavapipe a storage-buffer load whose address depends on the workgroup or sits in a loop is
// a loop over the lanes (about 100 instructions a lane); a texel fetch is one branch-free gather
// (../shared/docs/lavapipe-codegen.md). Shaders that look up channel constants once per plane of
// a small image spent most of their time in those loads.
float channel(samplerBuffer v, uint c) { return texelFetch(v, int(c >> 2))[c & 3]; }
