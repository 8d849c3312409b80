#version 450
// A convolution weight (Cout x Cin x k x k) in the layout the texel kernels read: for output
// channel group g of R channels, input channel group cb of four, and tap (ky, kx), the R texels
//   packed[((g * CB + cb) * KK + tap) * R + r] = w[g R + r, 4 cb .. 4 cb + 3, tap]
// (zero past Cout and Cin). With SWAP = 1 it packs the weight of the transposed convolution
// that computes the input gradient instead: the channel axes swapped and the taps reversed,
// w'[ci, co, tap] = w[co, ci, KK - 1 - tap].
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64, local_size_y = 1, local_size_z = 1,
       local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
#include "flat_grid.glsl"   // after the layout: it reads gl_WorkGroupSize
layout(constant_id = 3) const uint R = 8;
layout(constant_id = 4) const uint SWAP = 0;

layout(std430, binding = 0) readonly buffer Wt { float w[]; };   // Cout x Cin x KK, as the layer holds it
layout(std430, binding = 1) writeonly buffer Packed { vec4 packed[]; };
// M, C: the packed weight's output and input channels (Cout, Cin; swapped for SWAP = 1).
layout(push_constant) uniform Push { uint M, C, KK, CB, groups; };

void main() {
    const uint t = flat_invocation();
    if (t >= groups * CB * KK * R) return;
    uint r = t % R, rest = t / R, tap = rest % KK;
    rest /= KK;
    uint cb = rest % CB, g = rest / CB;
    uint m = g * R + r;
    vec4 v = vec4(0.0);
    for (uint c = 0; c < 4; ++c) {
        uint ci = 4 * cb + c;
        bool in_ = m < M && ci < C;
        uint e = SWAP == 0 ? (m * C + ci) * KK + tap : (ci * M + m) * KK + (KK - 1 - tap);
        float s = w[in_ ? e : 0];
        v[c] = in_ ? s : 0.0;
    }
    packed[t] = v;
}
