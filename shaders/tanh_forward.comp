#version 450
// y = tanh(x), not the built-in (some drivers compute it as (e^x - e^-x) / (e^x + e^-x), which
// overflows to NaN for large |x|): with a = |x| and t = exp(-2a) <= 1, tanh(a) = (1 - t) / (1 + t).
// For a < 1/16, where 1 - t would cancel, the odd series a - a^3/3 + 2a^5/15 - 17a^7/315 instead
// (truncation error under 1e-11 relative).
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) writeonly buffer Y { float y[]; };
layout(push_constant) uniform Push { uint n; };

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint i = gl_GlobalInvocationID.x; i < n; i += stride) {
        float v = x[i], a = abs(v), r;
        if (a < 0.0625) {
            float a2 = a * a;
            r = a + a * a2 * (-1.0 / 3.0 + a2 * (2.0 / 15.0 + a2 * (-17.0 / 315.0)));
        } else {
            float t = exp(-2.0 * a);
            r = (1.0 - t) / (1.0 + t);
        }
        y[i] = v < 0.0 ? -r : r;
    }
}
