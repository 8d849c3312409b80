#pragma once
// Helpers for per-op tests: the shared GPU-vs-CPU check, central finite differences on the CPU
// reference, and PyTorch golden vectors.
#include <functional>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "vkcolor/tensor.hpp"

namespace vkcolor::test {

// Runs the op's check from the shared harness (the same one `vkcolor selftest` runs) and fails
// the current test on any case over tolerance, reporting every case's errors.
void require_op_check_passes(const std::string& op);

// Central differences of f around x at `samples` random entries, compared with grad (the
// analytic gradient of f at x). Returns max |numeric - analytic| / max(max |grad|, 1e-6).
double finite_difference_error(const std::function<double(const HostTensor&)>& f, const HostTensor& x,
                               const HostTensor& grad, float eps = 1e-2f, int samples = 40, uint32_t seed = 1);

// sum(y * g) in double: the scalar whose gradient with respect to y is g.
double dot(const HostTensor& y, const HostTensor& g);

// A PyTorch golden file tests/golden/NAME.json: {"params": {...}, "tensors": {name: {"shape":
// [n, c, h, w], "data": [...]}}}, written by tools/golden/make_golden.py.
struct Golden {
    nlohmann::json params;
    std::map<std::string, HostTensor> tensors;
    const HostTensor& operator[](const std::string& name) const;
};
Golden load_golden(const std::string& name);

} // namespace vkcolor::test
