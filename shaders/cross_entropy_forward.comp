#version 450
#extension GL_GOOGLE_include_directive : require
// Per-pixel softmax cross-entropy, stage 1. Pixel p = (n, h, w) of P = N*H*W; its logits are
// C values HW apart. For every pixel: argmax[p] (the first maximum: the lowest index among
// equal logits, as torch.argmax), its loss term log(sum_c exp(x[c] - max)) + (max - x[target]),
// and whether argmax equals the target. The pixels are split into S chunks, one workgroup each;
// each invocation handles a fixed strided subset of its chunk in order and a fixed shared-memory
// tree combines them into loss_partial[s] and correct_partial[s] (an exact integer as a float).
// sum_partials finishes both. No atomics: the bits depend only on the shape.
// An invalid target (not an integer in 0..C-1) gives a NaN loss term and never counts as correct;
// nothing is read out of bounds.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Logits { float x[]; };
layout(std430, binding = 1) readonly buffer Targets { float target[]; };
layout(std430, binding = 2) writeonly buffer Argmax { float argmax_[]; };
layout(std430, binding = 3) writeonly buffer LossPartial { float loss_partial[]; };
layout(std430, binding = 4) writeonly buffer CorrectPartial { float correct_partial[]; };
layout(push_constant) uniform Push { uint P; uint C; uint HW; uint S; };

#include "workgroup_sum.glsl"

void main() {
    uint s = gl_WorkGroupID.x, t = gl_LocalInvocationID.x;
    uint chunk = (P + S - 1) / S;
    uint begin = s * chunk, end = min(begin + chunk, P);
    float loss_acc = 0.0, correct_acc = 0.0;
    for (uint p = begin + t; p < end; p += gl_WorkGroupSize.x) {
        uint n = p / HW, i = p - n * HW;
        uint base = n * C * HW + i;
        float mx = x[base];
        uint best = 0;
        for (uint c = 1; c < C; ++c) {
            float v = x[base + c * HW];
            if (v > mx) { mx = v; best = c; }
        }
        float sum = 0.0;
        for (uint c = 0; c < C; ++c) sum += exp(x[base + c * HW] - mx);
        argmax_[p] = float(best);

        float tf = target[p];
        if (tf >= 0.0 && tf < float(C) && tf == floor(tf)) {
            uint k = uint(tf);
            loss_acc += log(sum) + (mx - x[base + k * HW]);
            if (k == best) correct_acc += 1.0;
        } else {
            loss_acc += uintBitsToFloat(0x7fc00000u);   // NaN
        }
    }
    const vec2 totals = workgroup_sum2(vec2(loss_acc, correct_acc));
    if (t == 0) {
        loss_partial[s] = totals.x;
        correct_partial[s] = totals.y;
    }
}
