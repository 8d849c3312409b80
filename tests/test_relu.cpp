// ReLU (shaders relu_forward, relu_backward): GPU vs CPU, finite differences, PyTorch golden.
#include <catch2/catch.hpp>

#include <cmath>

#include "op_test.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/layers/relu.hpp"

using namespace vkcolor;
namespace cpu = vkcolor::layers::cpu;

TEST_CASE("relu: GPU matches the CPU reference", "[gpu][relu]") { test::require_op_check_passes("relu"); }

TEST_CASE("relu: CPU backward matches finite differences", "[relu][fd]") {
    HostTensor x = check::random_tensor({2, 3, 5, 7}, 7);
    for (auto& v : x.data)   // keep away from the kink at 0, where the derivative jumps
        if (std::fabs(v) < 0.05f) v = 0.5f;
    HostTensor g = check::random_tensor(x.shape, 8);
    auto f = [&](const HostTensor& in) { return test::dot(cpu::relu_forward(in), g); };
    HostTensor dx = cpu::relu_backward(cpu::relu_forward(x), g);
    CHECK(test::finite_difference_error(f, x, dx, 1e-2f, 210) < 1e-3);
}

TEST_CASE("relu: CPU reference matches PyTorch", "[relu][golden]") {
    auto g = test::load_golden("relu");
    HostTensor y = cpu::relu_forward(g["x"]);
    CHECK(check::relative_error(y.data, g["y"].data) < check::k_forward_tolerance);
    HostTensor dx = cpu::relu_backward(y, g["dy"]);
    CHECK(check::relative_error(dx.data, g["dx"].data) < check::k_backward_tolerance);
}
