#version 450
// The textbook convolution forward, one output element per invocation (grid-stride): every
// weight and input value is loaded once per multiply-add. Kept only as the baseline that
// `vkcolor bench ops` compares the register-blocked conv2d_forward with.
layout(local_size_x = 64, local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer Wt { float w[]; };
layout(std430, binding = 2) readonly buffer Bias { float bias[]; };
layout(std430, binding = 3) writeonly buffer Y { float y[]; };
layout(push_constant) uniform Push {
    uint N, Cin, H, W, Cout, OH, OW, kernel, stride, padding, dilation, has_bias;
};

void main() {
    uint total = N * Cout * OH * OW;
    uint step = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint i = gl_GlobalInvocationID.x; i < total; i += step) {
        uint ox = i % OW, oy = (i / OW) % OH, co = (i / (OW * OH)) % Cout, n = i / (OW * OH * Cout);
        float acc = has_bias != 0 ? bias[co] : 0.0;
        for (uint ci = 0; ci < Cin; ++ci)
            for (uint ky = 0; ky < kernel; ++ky) {
                int iy = int(oy * stride + ky * dilation) - int(padding);
                if (iy < 0 || iy >= int(H)) continue;
                for (uint kx = 0; kx < kernel; ++kx) {
                    int ix = int(ox * stride + kx * dilation) - int(padding);
                    if (ix < 0 || ix >= int(W)) continue;
                    acc += w[((co * Cin + ci) * kernel + ky) * kernel + kx] *
                           x[((n * Cin + ci) * H + uint(iy)) * W + uint(ix)];
                }
            }
        y[i] = acc;
    }
}
