#version 450
// Max-pool backward as a gather: one invocation per element (h, w) of each input plane. The only
// window that can contain it is (h/2, w/2); it gets that window's dy if the forward picked it,
// else 0 (also for a dropped odd last row or column). Each dx is written exactly once.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Idx { uint idx[]; };
layout(std430, binding = 1) readonly buffer DY { float dy[]; };
layout(std430, binding = 2) writeonly buffer DX { float dx[]; };
layout(push_constant) uniform Push { uint n; uint H; uint W; uint Ho; uint Wo; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    uint plane = H * W;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        uint p = i / plane, at = i - p * plane;
        uint h = at / W, w = at - h * W;
        uint oh = h / 2, ow = w / 2;
        float g = 0.0;
        if (oh < Ho && ow < Wo) {
            uint o = (p * Ho + oh) * Wo + ow;
            if (idx[o] == at) g = dy[o];
        }
        dx[i] = g;
    }
}
