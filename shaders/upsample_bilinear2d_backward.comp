#version 450
// Backward of bilinear x2 upsampling (align_corners=False) as a gather: one invocation per dx
// element dx[p, i, j]. Along each axis only outputs d = 2i-1 .. 2i+2 can read input i; the weight
// output d gives input i is l0 if i is its i0, plus l1 if i is its i1 (both at the last input,
// neither if d reads elsewhere), with taps() exactly as in the forward. dx sums dy times the
// product of the two axes' weights over that (up to) 4 x 4 neighbourhood, row by row in a fixed
// order: each dx element is written once, no atomics.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer DY { float dy[]; };
layout(std430, binding = 1) writeonly buffer DX { float dx[]; };
layout(push_constant) uniform Push { uint n; uint H; uint W; };   // n: elements of dx; H x W: dx's plane

void taps(uint d, uint size, out uint i0, out uint i1, out float l1) {
    float src = max((float(d) + 0.5) * 0.5 - 0.5, 0.0);
    i0 = uint(src);
    i1 = i0 + 1 < size ? i0 + 1 : i0;
    l1 = src - float(i0);
}

// The weight output index d gives input index i along an axis of `size` inputs.
float weight(uint d, uint i, uint size) {
    uint i0, i1;
    float l1;
    taps(d, size, i0, i1, l1);
    return (i0 == i ? 1.0 - l1 : 0.0) + (i1 == i ? l1 : 0.0);
}

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    uint plane = H * W, Ho = 2 * H, Wo = 2 * W;
    for (uint e = gl_GlobalInvocationID.x; e < n; e += stride) {
        uint p = e / plane, r = e - p * plane;
        uint i = r / W, j = r - i * W;
        uint h_begin = max(2 * i, 1) - 1, h_end = min(2 * i + 3, Ho);   // d in [2i-1, 2i+2], inside
        uint w_begin = max(2 * j, 1) - 1, w_end = min(2 * j + 3, Wo);
        uint base = p * Ho * Wo;
        float s = 0.0;
        for (uint h = h_begin; h < h_end; ++h) {
            float wh = weight(h, i, H);
            for (uint w = w_begin; w < w_end; ++w) s += wh * weight(w, j, W) * dy[base + h * Wo + w];
        }
        dx[e] = s;
    }
}
