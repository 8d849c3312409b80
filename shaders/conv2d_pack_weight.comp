#version 450
// A convolution weight (Cout x Cin x k x k) in the layout the texel forward kernel reads
// (conv2d_texel_forward.comp): for output channel group g of R = 4 RT channels, input channel
// group cb of four, and tap t, R texels; texel c * RT + j holds output channels R g + 4j ..
// R g + 4j + 3 of input channel 4 cb + c:
//   packed[((g * CB + cb) * KK + t) * R + c * RT + j] = w[R g + 4 j .. R g + 4 j + 3, 4 cb + c, t]
// (zero past Cout and Cin). With SWAP = 1 it packs the weight of the transposed convolution
// that computes the input gradient instead: the channel axes swapped and the taps reversed,
// w'[ci, co, t] = w[co, ci, KK - 1 - t].
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64, local_size_y = 1, local_size_z = 1,
       local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
#include "flat_grid.glsl"   // after the layout: it reads gl_WorkGroupSize
layout(constant_id = 3) const uint SWAP = 0;
layout(constant_id = 4) const uint RT = 8;
const uint R = 4 * RT;

layout(std430, binding = 0) readonly buffer Wt { float w[]; };   // Cout x Cin x KK, as the layer holds it
layout(std430, binding = 1) writeonly buffer Packed { vec4 packed[]; };
// M, C: the packed weight's output and input channels (Cout, Cin; swapped for SWAP = 1).
layout(push_constant) uniform Push { uint M, C, KK, CB, groups; };

void main() {
    const uint t = flat_invocation();
    if (t >= groups * CB * KK * R) return;
    const uint j = t % RT, c = (t / RT) % 4, rest = t / R, tap = rest % KK, cb = (rest / KK) % CB, g = rest / KK / CB;
    const uint ci = 4 * cb + c;
    vec4 v = vec4(0.0);
    for (uint q = 0; q < 4; ++q) {
        const uint m = g * R + 4 * j + q;
        const bool in_ = m < M && ci < C;
        const uint e = SWAP == 0 ? (m * C + ci) * KK + tap : (ci * M + m) * KK + (KK - 1 - tap);
        const float s = w[in_ ? e : 0];
        v[q] = in_ ? s : 0.0;
    }
    packed[t] = v;
}
