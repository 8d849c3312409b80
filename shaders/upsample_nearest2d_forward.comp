#version 450
// Nearest-neighbour x2 upsampling: y[p, oh, ow] = x[p, oh/2, ow/2] over N*C planes of H x W
// (y's planes are 2H x 2W). One invocation per output element.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) writeonly buffer Y { float y[]; };
layout(push_constant) uniform Push { uint n; uint H; uint W; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    uint Wo = 2 * W, out_plane = 4 * H * W;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        uint p = i / out_plane, r = i - p * out_plane;
        uint oh = r / Wo, ow = r - oh * Wo;
        y[i] = x[(p * H + oh / 2) * W + ow / 2];
    }
}
