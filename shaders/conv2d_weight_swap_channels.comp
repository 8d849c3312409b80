#version 450
// wt[ci, co, ky, kx] = w[co, ci, ky, kx]: the weight with its channel axes swapped, so that
// conv2d_backward_input reads each input channel's weights as one contiguous row. Weights are
// small (at most a few hundred thousand values); this costs next to nothing.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer W { float w[]; };
layout(std430, binding = 1) writeonly buffer WT { float wt[]; };
layout(push_constant) uniform Push { uint Cout, Cin, KK; };

void main() {
    uint n = Cout * Cin * KK;
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        uint kk = i % KK, rest = i / KK, co = rest % Cout, ci = rest / Cout;   // i indexes wt
        wt[i] = w[(co * Cin + ci) * KK + kk];
    }
}
