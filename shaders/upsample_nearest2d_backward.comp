#version 450
#extension GL_GOOGLE_include_directive : require
// Backward of nearest x2 upsampling: dx[p, h, w] = the sum of dy's 2x2 block at (2h, 2w), added
// row by row like PyTorch's CPU kernel. One dx element per lane of the sum: no atomics, fixed
// order. Where W % 4 == 0 an invocation takes 4 dx of a row (four vec4 loads of dy, one vec4
// store; on lavapipe a storage access with a per-lane address costs the same for a vec4 as for a
// float); other widths one dx element.
layout(local_size_x = 64, local_size_x_id = 0) in;
#include "texel_read.glsl"   // tensors read through texel views
layout(binding = 0) uniform samplerBuffer dy4_t;
layout(std430, binding = 1) writeonly buffer DX { vec4 dx4[]; };
layout(push_constant) uniform Push { uint n; uint H; uint W; };   // n: elements of dx

float block_sum(float a, float b, float c, float d) {
    precise float s = a + b;
    s = s + c;
    s = s + d;
    return s;
}

float at_dy(uint e) { return element(dy4_t, e); }

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    uint plane = H * W, Wo = 2 * W;
    if (W % 4 == 0) {
        for (uint i = gl_GlobalInvocationID.x; i < n / 4; i += stride) {
            uint e = 4 * i, p = e / plane, r = e - p * plane;
            uint h = r / W, w = r - h * W;
            uint top = ((p * 2 * H + 2 * h) * Wo + 2 * w) / 4;   // vec4 holding dy[p, 2h, 2w]
            const vec4 a0 = texelFetch(dy4_t, int(top)), a1 = texelFetch(dy4_t, int(top + 1)), b0 = texelFetch(dy4_t, int(top + Wo / 4)), b1 = texelFetch(dy4_t, int(top + Wo / 4 + 1));
            dx4[i] = vec4(block_sum(a0.x, a0.y, b0.x, b0.y), block_sum(a0.z, a0.w, b0.z, b0.w),
                          block_sum(a1.x, a1.y, b1.x, b1.y), block_sum(a1.z, a1.w, b1.z, b1.w));
        }
        return;
    }
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        uint p = i / plane, r = i - p * plane;
        uint h = r / W, w = r - h * W;
        uint top = (p * 2 * H + 2 * h) * Wo + 2 * w;   // dy[p, 2h, 2w]
        dx4[i >> 2][i & 3] = block_sum(at_dy(top), at_dy(top + 1), at_dy(top + Wo), at_dy(top + Wo + 1));
    }
}
