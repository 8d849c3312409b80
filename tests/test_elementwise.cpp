// Element-wise add (shader elementwise_add): GPU vs CPU; its backward is the identity.
#include <catch2/catch.hpp>

#include "op_test.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/layers/elementwise.hpp"

using namespace vkcolor;

TEST_CASE("add: GPU matches the CPU reference", "[gpu][add]") { test::require_op_check_passes("add"); }

TEST_CASE("add: CPU reference is exact float addition with the identity as gradient", "[add][fd]") {
    HostTensor a = check::random_tensor({1, 3, 5, 7}, 1), b = check::random_tensor({1, 3, 5, 7}, 2);
    HostTensor y = layers::cpu::add(a, b);
    for (size_t i = 0; i < y.data.size(); ++i) CHECK(y.data[i] == a.data[i] + b.data[i]);
    HostTensor g = check::random_tensor(a.shape, 3);
    auto f = [&](const HostTensor& in) { return test::dot(layers::cpu::add(in, b), g); };
    CHECK(test::finite_difference_error(f, a, g, 1e-2f, 105) < 1e-3);   // d(a+b)/da = identity
}
