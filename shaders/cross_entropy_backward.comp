#version 450
// dLogits of the per-pixel softmax cross-entropy: for pixel p and class c,
//   d[c] = (exp(x[c] - max) / sum_k exp(x[k] - max) - (c == target)) * scale,   scale = 1 / P.
// One invocation per pixel (grid-stride); max and sum are recomputed rather than stored by the
// forward. An invalid target (not an integer in 0..C-1) makes the pixel's whole row NaN.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Logits { float x[]; };
layout(std430, binding = 1) readonly buffer Targets { float target[]; };
layout(std430, binding = 2) writeonly buffer DLogits { float dx[]; };
layout(push_constant) uniform Push { uint P; uint C; uint HW; float scale; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint p = gl_GlobalInvocationID.x; p < P; p += stride) {
        uint n = p / HW, i = p - n * HW;
        uint base = n * C * HW + i;
        float mx = x[base];
        for (uint c = 1; c < C; ++c) mx = max(mx, x[base + c * HW]);
        float sum = 0.0;
        for (uint c = 0; c < C; ++c) sum += exp(x[base + c * HW] - mx);
        float inv_sum = 1.0 / sum;

        float tf = target[p];
        bool valid = tf >= 0.0 && tf < float(C) && tf == floor(tf);
        uint k = valid ? uint(tf) : C;   // C: no class is the target
        float bad = valid ? 0.0 : uintBitsToFloat(0x7fc00000u);
        for (uint c = 0; c < C; ++c) {
            float prob = exp(x[base + c * HW] - mx) * inv_sum;
            dx[base + c * HW] = (prob - (c == k ? 1.0 : 0.0)) * scale + bad;
        }
    }
}
