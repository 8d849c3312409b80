#version 450
// The input of a convolution in the layout the texel kernels read (conv2d_texel_forward.comp):
// channels in groups of four, one RGBA32F texel per pixel and group, with a zero border of
// `padding` pixels, so that the kernels read every tap of every pixel without a bounds test:
//   packed[((n * CB + cb) * HP + yp) * WP + xp] = x[n, 4 cb .. 4 cb + 3, yp - padding, xp - padding]
// (zero outside the image and for channels >= C). The source is read through a texel view
// too (gathers, not the per-lane loop of a storage-buffer load on lavapipe).
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64, local_size_y = 1, local_size_z = 1,
       local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
#include "flat_grid.glsl"   // after the layout: it reads gl_WorkGroupSize

layout(binding = 0) uniform samplerBuffer X;   // N x C x H x W, as RGBA32F texels
layout(std430, binding = 1) writeonly buffer Packed { vec4 packed[]; };
layout(push_constant) uniform Push { uint N, C, H, W, CB, HP, WP, padding; };

void main() {
    const uint t = flat_invocation();
    if (t >= N * CB * HP * WP) return;
    uint xp = t % WP, rest = t / WP, yp = rest % HP;
    rest /= HP;
    uint cb = rest % CB, n = rest / CB;
    int y = int(yp) - int(padding), x = int(xp) - int(padding);
    bool inside = y >= 0 && y < int(H) && x >= 0 && x < int(W);
    vec4 v = vec4(0.0);
    for (uint c = 0; c < 4; ++c) {
        uint ci = 4 * cb + c;
        uint e = inside && ci < C ? ((n * C + ci) * H + uint(y)) * W + uint(x) : 0;
        float s = texelFetch(X, int(e >> 2))[e & 3];
        v[c] = inside && ci < C ? s : 0.0;   // selected, not multiplied: the view's tail is undefined
    }
    packed[t] = v;
}
