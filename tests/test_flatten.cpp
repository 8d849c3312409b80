// Flatten (no shader: a view of the same buffer): the view shares the bytes, GPU dispatches
// through both shapes agree with the CPU reference, finite differences, PyTorch golden vectors,
// and a flattened feature map feeding a Linear (shaders linear_forward, linear_backward_input).
#include <catch2/catch.hpp>

#include "gpu_fixture.hpp"
#include "op_test.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/layers/flatten.hpp"
#include "vkcolor/layers/linear.hpp"

using namespace vkcolor;
namespace cpu = vkcolor::layers::cpu;

TEST_CASE("flatten: GPU views match the CPU reference", "[gpu][flatten]") { test::require_op_check_passes("flatten"); }

TEST_CASE("flatten: shapes", "[flatten]") {
    CHECK(layers::flatten_shape({2, 3, 5, 7}) == Shape{2, 105, 1, 1});
    CHECK(layers::flatten_shape({1, 64, 1, 1}) == Shape{1, 64, 1, 1});
    CHECK_THROWS_AS(cpu::flatten_backward(HostTensor({2, 104, 1, 1}), {2, 3, 5, 7}), Error);
}

TEST_CASE("flatten: the CPU reference keeps the bytes and its backward matches finite differences", "[flatten][fd]") {
    HostTensor x = check::random_tensor({2, 3, 5, 7}, 61);
    HostTensor y = cpu::flatten(x);
    CHECK(y.shape == Shape{2, 105, 1, 1});
    CHECK(y.data == x.data);
    HostTensor g = check::random_tensor(y.shape, 62);
    HostTensor dx = cpu::flatten_backward(g, x.shape);
    CHECK(dx.shape == x.shape);
    auto f = [&](const HostTensor& in) { return test::dot(cpu::flatten(in), g); };
    CHECK(test::finite_difference_error(f, x, dx, 1e-2f, 210) < 1e-3);
}

TEST_CASE("flatten: CPU and GPU match PyTorch", "[gpu][flatten][golden]") {
    auto& ctx = test::gpu();
    auto g = test::load_golden("flatten");
    CHECK(cpu::flatten(g["x"]).data == g["y"].data);   // exactly: the same values in the same order
    CHECK(cpu::flatten_backward(g["dy"], g["x"].shape).data == g["dx"].data);
    Tensor x = check::to_gpu(ctx, g["x"]), dy = check::to_gpu(ctx, g["dy"]);
    Tensor y = layers::flatten(x), dx = layers::flatten_backward(dy, x.shape());
    CHECK(y.shape() == g["y"].shape);
    CHECK(y.download(ctx) == g["y"].data);
    CHECK(dx.shape() == g["dx"].shape);
    CHECK(dx.download(ctx) == g["dx"].data);
    test::require_no_validation_messages();
}

TEST_CASE("flatten: a view shares its tensor's buffer and keeps it alive", "[gpu][flatten]") {
    auto& ctx = test::gpu();
    HostTensor h = check::random_tensor({3, 5, 13, 11}, 63);
    Tensor view;
    {
        Tensor x = check::to_gpu(ctx, h);
        view = layers::flatten(x);
        CHECK(view.buffer().handle() == x.buffer().handle());
        CHECK(&view.buffer() == &x.buffer());
        HostTensor changed = check::random_tensor(h.shape, 64);
        x.upload(ctx, changed);   // a write through one name is seen through the other
        CHECK(view.download(ctx) == changed.data);
        view.upload(ctx, h.data);
        CHECK(x.download(ctx) == h.data);
    }   // x is gone; the view still holds the buffer
    CHECK(view.download(ctx) == h.data);
    CHECK_THROWS_AS(view.view({3, 5, 13, 10}), Error);   // element counts must match
    test::require_no_validation_messages();
}

TEST_CASE("flatten: a feature map flattened into a Linear, and its gradient viewed back", "[gpu][flatten][linear]") {
    auto& ctx = test::gpu();
    Shape s{3, 5, 4, 3};
    layers::LinearParams p{5 * 4 * 3, 7, true};
    HostTensor x = check::random_tensor(s, 65), w = check::random_tensor(p.weight_shape(), 66),
               b = check::random_tensor(p.bias_shape(), 67), dy = check::random_tensor({3, 7, 1, 1}, 68);
    HostTensor y_ref = cpu::linear_forward(cpu::flatten(x), w, &b, p);
    HostTensor dx_ref = cpu::flatten_backward(cpu::linear_backward_input(dy, w, p), s);

    Tensor gx = check::to_gpu(ctx, x), gw = check::to_gpu(ctx, w), gb = check::to_gpu(ctx, b),
           gdy = check::to_gpu(ctx, dy), gy(ctx, dy.shape), gdx(ctx, s);
    Tensor gx_flat = layers::flatten(gx), gdx_flat = layers::flatten(gdx);
    gpu::Recording rec(ctx);
    layers::linear_forward(rec, gx_flat, gw, &gb, gy, p);
    layers::linear_backward_input(rec, gdy, gw, gdx_flat, p);
    rec.finish();
    CHECK(rec.dispatch_count() == 2);   // flatten itself records nothing
    ctx.run(rec);
    CHECK(check::relative_error(gy.download(ctx), y_ref.data) < check::k_forward_tolerance);
    CHECK(gdx.shape() == s);
    CHECK(check::relative_error(gdx.download(ctx), dx_ref.data) < check::k_backward_tolerance);
    test::require_no_validation_messages();
}
