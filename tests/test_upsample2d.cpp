// Nearest x2 upsampling (shaders upsample_nearest2d_forward, upsample_nearest2d_backward): GPU vs
// CPU, finite differences, PyTorch golden vectors, determinism.
#include <catch2/catch.hpp>

#include "gpu_fixture.hpp"
#include "shape_op_gpu.hpp"
#include "op_test.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/layers/upsample2d.hpp"

using namespace vkcolor;
namespace cpu = vkcolor::layers::cpu;

namespace {
// Forward then backward on the GPU; `replays` extra submissions of the same recording.
std::pair<std::vector<float>, std::vector<float>> run_gpu(const HostTensor& x, const HostTensor& dy, int replays = 0) {
    return test::run_shape_op_gpu(layers::upsample_nearest2d_forward, layers::upsample_nearest2d_backward, x, dy, replays);
}
} // namespace

TEST_CASE("upsample_nearest2d: GPU matches the CPU reference", "[gpu][upsample_nearest2d]") {
    test::require_op_check_passes("upsample_nearest2d");
}

TEST_CASE("upsample_nearest2d: CPU backward matches finite differences", "[upsample_nearest2d][fd]") {
    Shape s{2, 3, 5, 7};
    HostTensor x = check::random_tensor(s, 21);
    HostTensor g = check::random_tensor(layers::upsample_nearest2d_output_shape(s), 22);
    auto f = [&](const HostTensor& in) { return test::dot(cpu::upsample_nearest2d_forward(in), g); };
    HostTensor dx = cpu::upsample_nearest2d_backward(g);
    CHECK(test::finite_difference_error(f, x, dx, 1e-2f, 210) < 1e-3);   // all 210 inputs
}

TEST_CASE("upsample_nearest2d: CPU and GPU match PyTorch", "[gpu][upsample_nearest2d][golden]") {
    auto g = test::load_golden("upsample_nearest2d");
    CHECK(check::relative_error(cpu::upsample_nearest2d_forward(g["x"]).data, g["y"].data) < check::k_forward_tolerance);
    CHECK(check::relative_error(cpu::upsample_nearest2d_backward(g["dy"]).data, g["dx"].data) <
          check::k_backward_tolerance);
    auto [y, dx] = run_gpu(g["x"], g["dy"]);
    CHECK(check::relative_error(y, g["y"].data) < check::k_forward_tolerance);
    CHECK(check::relative_error(dx, g["dx"].data) < check::k_backward_tolerance);
    test::require_no_validation_messages();
}

TEST_CASE("upsample_nearest2d: the same input gives the same bits, run after run",
          "[gpu][upsample_nearest2d][determinism]") {
    Shape s{3, 24, 13, 11};
    HostTensor x = check::random_tensor(s, 23), dy = check::random_tensor(layers::upsample_nearest2d_output_shape(s), 24);
    auto first = run_gpu(x, dy), second = run_gpu(x, dy, 2);   // a fresh recording, then one replayed
    CHECK(first.first == second.first);
    CHECK(first.second == second.second);
    test::require_no_validation_messages();
}
