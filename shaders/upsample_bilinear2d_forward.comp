#version 450
// Bilinear x2 upsampling with align_corners=False over N*C planes of H x W, one invocation per
// output element y[p, h, w] (2H x 2W per plane). Along each axis the output index d reads
//   src = max((d + 0.5) / 2 - 0.5, 0), i0 = floor(src), i1 = min(i0 + 1, size - 1), l1 = src - i0
// (exact in fp32: l1 is 0, 1/4 or 3/4), and y = l0h (l0w x00 + l1w x01) + l1h (l0w x10 + l1w x11).
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) writeonly buffer Y { float y[]; };
layout(push_constant) uniform Push { uint n; uint H; uint W; };   // n: elements of y; H x W: x's plane

void taps(uint d, uint size, out uint i0, out uint i1, out float l1) {
    float src = max((float(d) + 0.5) * 0.5 - 0.5, 0.0);
    i0 = uint(src);
    i1 = i0 + 1 < size ? i0 + 1 : i0;
    l1 = src - float(i0);
}

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    uint Ho = 2 * H, Wo = 2 * W, out_plane = Ho * Wo;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        uint p = i / out_plane, r = i - p * out_plane;
        uint h = r / Wo, w = r - h * Wo;
        uint h0, h1, w0, w1;
        float lh, lw;
        taps(h, H, h0, h1, lh);
        taps(w, W, w0, w1, lw);
        uint base = p * H * W, row0 = base + h0 * W, row1 = base + h1 * W;
        float top = (1.0 - lw) * x[row0 + w0] + lw * x[row0 + w1];
        float bottom = (1.0 - lw) * x[row1 + w0] + lw * x[row1 + w1];
        y[i] = (1.0 - lh) * top + lh * bottom;
    }
}
