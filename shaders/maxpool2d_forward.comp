#version 450
// 2x2 max-pool, stride 2: one invocation per output element of an N*C x Ho x Wo stack of planes
// (Ho = H/2, Wo = W/2, rounded down). Scans the window row by row exactly as PyTorch does: the
// first maximum wins ties, a NaN always takes over. idx gets the winner's h * W + w in its plane.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) writeonly buffer Y { float y[]; };
layout(std430, binding = 2) writeonly buffer Idx { uint idx[]; };
layout(push_constant) uniform Push { uint n; uint H; uint W; uint Ho; uint Wo; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    uint out_plane = Ho * Wo;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        uint p = i / out_plane, r = i - p * out_plane;
        uint oh = r / Wo, ow = r - oh * Wo;
        uint base = p * H * W;
        uint best_at = (2 * oh) * W + 2 * ow;
        float best = -1.0 / 0.0;   // -inf, as PyTorch starts
        for (uint dh = 0; dh < 2; ++dh) {
            for (uint dw = 0; dw < 2; ++dw) {
                uint at = (2 * oh + dh) * W + 2 * ow + dw;
                float v = x[base + at];
                if (v > best || isnan(v)) {
                    best = v;
                    best_at = at;
                }
            }
        }
        y[i] = best;
        idx[i] = best_at;
    }
}
