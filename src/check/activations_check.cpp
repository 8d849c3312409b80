// LeakyReLU, Sigmoid and Tanh on the GPU against their CPU references over the standard shapes.
#include <functional>

#include "vkcolor/check/harness.hpp"
#include "vkcolor/check/op_checks.hpp"
#include "vkcolor/layers/activations.hpp"

namespace vkcolor::check {

namespace {
// Inputs in [lo, hi) with every 7th element exactly 0 (the kink of LeakyReLU, the centre of the
// others' series).
HostTensor input(Shape s, uint32_t seed, float lo, float hi) {
    HostTensor x = random_tensor(s, seed, lo, hi);
    for (size_t i = 0; i < x.data.size(); i += 7) x.data[i] = 0.0f;
    return x;
}

// Sigmoid and Tanh: the backward takes the forward's output. Each shape at [-4, 4), and one at
// [-100, 100), where exp(|x|) would overflow: the shaders must stay finite and saturate.
using CpuForward = std::function<HostTensor(const HostTensor&)>;
using CpuBackward = std::function<HostTensor(const HostTensor&, const HostTensor&)>;
using GpuForward = void (*)(gpu::Recording&, const Tensor&, const Tensor&);
using GpuBackward = void (*)(gpu::Recording&, const Tensor&, const Tensor&, const Tensor&);

std::vector<CaseResult> output_based(gpu::Context& ctx, const std::string& op, uint32_t seed, CpuForward cf,
                                     CpuBackward cb, GpuForward gf, GpuBackward gb) {
    struct Case {
        Shape s;
        float range;
    };
    std::vector<Case> cases;
    for (Shape s : standard_shapes()) cases.push_back({s, 4.0f});
    cases.push_back({{2, 3, 13, 11}, 100.0f});
    std::vector<CaseResult> results;
    for (auto [s, range] : cases) {
        HostTensor x = input(s, ++seed, -range, range), dy = random_tensor(s, ++seed);
        HostTensor y_ref = cf(x);
        HostTensor dx_ref = cb(y_ref, dy);
        Tensor gx = to_gpu(ctx, x), gdy = to_gpu(ctx, dy), gy(ctx, s), gdx(ctx, s);
        gpu::Recording rec(ctx);
        gf(rec, gx, gy);
        gb(rec, gy, gdy, gdx);
        rec.finish();
        ctx.run(rec);
        results.push_back({op, "x " + s.str() + " in [-" + std::to_string(int(range)) + ", " +
                                   std::to_string(int(range)) + ")",
                           {compare(ctx, "y", gy, y_ref, k_forward_tolerance),
                            compare(ctx, "dX", gdx, dx_ref, k_backward_tolerance)}});
    }
    return results;
}
} // namespace

OpCheck leaky_relu_check() {
    return {"leaky_relu", [](gpu::Context& ctx) {
                struct Case {
                    Shape s;
                    float slope;
                };
                std::vector<Case> cases;
                for (Shape s : standard_shapes()) cases.push_back({s, 0.01f});   // PyTorch's default
                cases.push_back({{2, 5, 13, 11}, 0.2f});
                cases.push_back({{2, 5, 13, 11}, -0.5f});
                cases.push_back({{2, 5, 13, 11}, 0.0f});   // ReLU
                std::vector<CaseResult> results;
                uint32_t seed = 1100;
                for (auto [s, slope] : cases) {
                    HostTensor x = input(s, ++seed, -1.0f, 1.0f), dy = random_tensor(s, ++seed);
                    HostTensor y_ref = layers::cpu::leaky_relu_forward(x, slope);
                    HostTensor dx_ref = layers::cpu::leaky_relu_backward(x, dy, slope);
                    Tensor gx = to_gpu(ctx, x), gdy = to_gpu(ctx, dy), gy(ctx, s), gdx(ctx, s);
                    gpu::Recording rec(ctx);
                    layers::leaky_relu_forward(rec, gx, gy, slope);
                    layers::leaky_relu_backward(rec, gx, gdy, gdx, slope);
                    rec.finish();
                    ctx.run(rec);
                    results.push_back({"leaky_relu", "x " + s.str() + ", slope " + std::to_string(slope),
                                       {compare(ctx, "y", gy, y_ref, k_forward_tolerance),
                                        compare(ctx, "dX", gdx, dx_ref, k_backward_tolerance)}});
                }
                return results;
            }};
}

OpCheck sigmoid_check() {
    return {"sigmoid", [](gpu::Context& ctx) {
                return output_based(ctx, "sigmoid", 1200, layers::cpu::sigmoid_forward, layers::cpu::sigmoid_backward,
                                    layers::sigmoid_forward, layers::sigmoid_backward);
            }};
}

OpCheck tanh_check() {
    return {"tanh", [](gpu::Context& ctx) {
                return output_based(ctx, "tanh", 1300, layers::cpu::tanh_forward, layers::cpu::tanh_backward,
                                    layers::tanh_forward, layers::tanh_backward);
            }};
}

} // namespace vkcolor::check
