#pragma once
// The GPU-vs-CPU harness that ctest and `vkcolor selftest` share: each op registers one check
// (src/check/registry.cpp) that sweeps shapes, runs the shaders and the CPU reference on the same
// random data, and reports the error of every output. Adding an op to the registry adds it to
// both the test suite and the selftest.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "vkcolor/gpu/context.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::check {

// fp32 tolerances for max |gpu - cpu| / max |cpu|.
constexpr double k_forward_tolerance = 1e-5;
constexpr double k_backward_tolerance = 1e-4;

// max |got - want| / max(max |want|, tiny); infinite on a size mismatch or a NaN in one only.
double relative_error(std::span<const float> got, std::span<const float> want);

struct Comparison {
    std::string output;   // "y", "dX", "dW", ...
    double error = 0;
    double tolerance = 0;
    bool pass() const { return error <= tolerance; }
    // error / tolerance; an exact output (tolerance 0, such as indices) is 0 when exact, infinite otherwise.
    double ratio() const;
};

// acc becomes c with the larger error of the two: over several steps of one output (an
// optimizer's replays), acc ends as the worst step.
void worst_of(Comparison& acc, const Comparison& c);

struct CaseResult {
    std::string op;
    std::string shape;    // a readable description of the case: "x 2x5x13x11, k3 s2 p1"
    std::vector<Comparison> outputs;
    bool pass() const;
    double worst_ratio() const;    // max error / tolerance over outputs
    double worst_error() const;
};

struct OpCheck {
    std::string op;
    std::function<std::vector<CaseResult>(gpu::Context&)> run;
};

// Every op's check, in a fixed order.
const std::vector<OpCheck>& all_op_checks();
// The named op's check; throws vkcolor::Error listing the known names if there is none.
const OpCheck& find_op_check(const std::string& op);

// --- helpers for writing checks ---------------------------------------------------------------

// Uniform random values in [lo, hi), deterministic in the seed.
HostTensor random_tensor(Shape shape, uint32_t seed, float lo = -1.0f, float hi = 1.0f);
Tensor to_gpu(gpu::Context& ctx, const HostTensor& h);
Comparison compare(gpu::Context& ctx, const std::string& output, const Tensor& got, const HostTensor& want,
                   double tolerance);

// Shapes every element-wise or per-channel op is swept over: batch 1, odd H and W, channel
// counts 1, 3, 5, 24 and 64, and element counts that are not multiples of a workgroup.
std::vector<Shape> standard_shapes();

} // namespace vkcolor::check
