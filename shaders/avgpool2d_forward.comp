#version 450
// 2x2 average pool, stride 2: one invocation per output element of an N*C x Ho x Wo stack of
// planes (Ho = H/2, Wo = W/2, rounded down). Adds the window row by row in fp32 like PyTorch's
// CPU kernel (`precise`: no reassociation), then divides by 4 (exact).
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) writeonly buffer Y { float y[]; };
layout(push_constant) uniform Push { uint n; uint H; uint W; uint Ho; uint Wo; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    uint out_plane = Ho * Wo;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        uint p = i / out_plane, r = i - p * out_plane;
        uint oh = r / Wo, ow = r - oh * Wo;
        uint top = p * H * W + 2 * oh * W + 2 * ow;   // x[p, 2oh, 2ow]
        precise float s = x[top] + x[top + 1];
        s = s + x[top + W];
        s = s + x[top + W + 1];
        y[i] = s * 0.25;
    }
}
