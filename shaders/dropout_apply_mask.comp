#version 450
// Dropout's forward (in = x, out = y) and backward (in = dy, out = dx), the same linear map:
// out[i] = in[i] * (hash(seed, step, i) >= threshold ? scale : 0), scale = 1 / (1 - p). The hash
// is dropout_hash of include/vkcolor/layers/dropout.hpp (32-bit integer arithmetic wraps in both),
// so the mask is the CPU reference's, bit for bit. The step comes from a buffer, so replays of one
// recording see the step dropout_next_step advanced.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Step { uint step; };
layout(std430, binding = 1) readonly buffer In { float in_[]; };
layout(std430, binding = 2) writeonly buffer Out { float out_[]; };
layout(push_constant) uniform Push { uint n; uint seed; uint threshold; float scale; };

// MurmurHash3's 32-bit finaliser.
uint mix32(uint h) {
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

void main() {
    uint key = mix32(mix32(seed ^ 0x9e3779b9u) ^ step);
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        uint h = mix32(mix32(i ^ key) + key);
        out_[i] = in_[i] * (h >= threshold ? scale : 0.0);
    }
}
