// ConvTranspose2d (shaders conv2d_weight_swap_channels + conv2d_backward_input for the forward,
// then conv_transpose2d_add_bias; conv2d_forward for dX; conv2d_backward_weight + sum_partials for
// dW; channel_sum_partial + sum_partials for dBias): GPU vs CPU, output sizes, finite differences,
// PyTorch golden vectors, determinism, refused shapes.
#include <catch2/catch.hpp>

#include "gpu_fixture.hpp"
#include "op_test.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/layers/conv_transpose2d.hpp"

using namespace vkcolor;
namespace cpu = vkcolor::layers::cpu;
using layers::ConvTranspose2dParams;

TEST_CASE("conv_transpose2d: GPU matches the CPU reference", "[gpu][conv_transpose2d]") {
    test::require_op_check_passes("conv_transpose2d");
}

TEST_CASE("conv_transpose2d: output sizes follow PyTorch", "[conv_transpose2d]") {
    // (H - 1) * s - 2p + k + output_padding
    CHECK(ConvTranspose2dParams{3, 8, 2, 2, 0, 0}.output_shape({2, 3, 13, 11}) == Shape{2, 8, 26, 22});
    CHECK(ConvTranspose2dParams{3, 8, 3, 2, 1, 1}.output_shape({2, 3, 13, 11}) == Shape{2, 8, 26, 22});
    CHECK(ConvTranspose2dParams{3, 8, 3, 2, 1, 0}.output_shape({1, 3, 5, 7}) == Shape{1, 8, 9, 13});
    CHECK(ConvTranspose2dParams{3, 8, 3, 2, 0, 0}.output_shape({1, 3, 5, 7}) == Shape{1, 8, 11, 15});
    CHECK(ConvTranspose2dParams{3, 8, 3, 1, 1, 0}.output_shape({1, 3, 5, 7}) == Shape{1, 8, 5, 7});
    CHECK_THROWS_WITH(ConvTranspose2dParams({3, 8, 3, 2, 1, 2}).output_shape({1, 3, 5, 7}),
                      Catch::Contains("output_padding"));
    CHECK_THROWS(ConvTranspose2dParams{4, 8, 3, 2, 1, 1}.output_shape({1, 3, 5, 7}));   // wrong channel count
    CHECK_THROWS(ConvTranspose2dParams{3, 8, 2, 2, 1, 0}.output_shape({1, 3, 1, 7}));   // empty output
    // The convolution it is the data gradient of maps the output back to the input size.
    ConvTranspose2dParams p{3, 8, 3, 2, 1, 1};
    CHECK(p.as_conv().output_shape(p.output_shape({2, 3, 13, 11})) == Shape{2, 3, 13, 11});
    CHECK(p.as_conv().weight_shape() == p.weight_shape());
}

TEST_CASE("conv_transpose2d: CPU backward passes match finite differences", "[conv_transpose2d][fd]") {
    struct Case {
        Shape input;
        ConvTranspose2dParams p;
    };
    for (const Case& c : {Case{{2, 3, 4, 5}, {3, 4, 2, 2, 0, 0, true}}, Case{{1, 2, 5, 4}, {2, 3, 3, 2, 1, 1, true}},
                          Case{{2, 2, 3, 3}, {2, 3, 3, 2, 0, 0, true}}}) {
        const auto& p = c.p;
        INFO("x " << c.input.str() << " k" << p.kernel << " s" << p.stride << " p" << p.padding << " op"
                  << p.output_padding);
        HostTensor x = check::random_tensor(c.input, 11), w = check::random_tensor(p.weight_shape(), 12);
        HostTensor b = check::random_tensor(p.bias_shape(), 13);
        HostTensor g = check::random_tensor(p.output_shape(c.input), 14);
        // f = sum(conv_transpose(x, w, b) * g), linear in each argument: central differences are
        // exact up to rounding.
        auto fx = [&](const HostTensor& v) { return test::dot(cpu::conv_transpose2d_forward(v, w, &b, p), g); };
        auto fw = [&](const HostTensor& v) { return test::dot(cpu::conv_transpose2d_forward(x, v, &b, p), g); };
        auto fb = [&](const HostTensor& v) { return test::dot(cpu::conv_transpose2d_forward(x, w, &v, p), g); };
        CHECK(test::finite_difference_error(fx, x, cpu::conv_transpose2d_backward_input(g, w, c.input, p)) < 1e-3);
        CHECK(test::finite_difference_error(fw, w, cpu::conv_transpose2d_backward_weight(x, g, p)) < 1e-3);
        CHECK(test::finite_difference_error(fb, b, cpu::conv_transpose2d_backward_bias(g)) < 1e-3);
    }
}

namespace {
ConvTranspose2dParams golden_params(const test::Golden& g) {
    const auto& j = g.params;
    return {j["in_channels"], j["out_channels"], j["kernel"], j["stride"], j["padding"], j["output_padding"], j["bias"]};
}
} // namespace

TEST_CASE("conv_transpose2d: CPU reference and GPU match PyTorch", "[gpu][conv_transpose2d][golden]") {
    auto& ctx = test::gpu();
    for (const char* name : {"conv_transpose2d_k2_s2", "conv_transpose2d_k3_s2_p1_op1", "conv_transpose2d_k3_s2_nobias"}) {
        INFO("golden " << name);
        auto g = test::load_golden(name);
        ConvTranspose2dParams p = golden_params(g);
        const HostTensor* b = p.bias ? &g["b"] : nullptr;
        const HostTensor &x = g["x"], &w = g["w"], &dy = g["dy"];

        HostTensor y = cpu::conv_transpose2d_forward(x, w, b, p);
        CHECK(check::relative_error(y.data, g["y"].data) < check::k_forward_tolerance);
        CHECK(check::relative_error(cpu::conv_transpose2d_backward_input(dy, w, x.shape, p).data, g["dx"].data) <
              check::k_backward_tolerance);
        CHECK(check::relative_error(cpu::conv_transpose2d_backward_weight(x, dy, p).data, g["dw"].data) <
              check::k_backward_tolerance);
        if (b)
            CHECK(check::relative_error(cpu::conv_transpose2d_backward_bias(dy).data, g["db"].data) <
                  check::k_backward_tolerance);

        Tensor gx = check::to_gpu(ctx, x), gw = check::to_gpu(ctx, w), gdy = check::to_gpu(ctx, dy);
        Tensor gb = check::to_gpu(ctx, b ? *b : HostTensor(p.bias_shape()));
        Tensor gy(ctx, y.shape), gdx(ctx, x.shape), gdw(ctx, w.shape), gdb(ctx, p.bias_shape());
        gpu::Recording rec(ctx);
        layers::conv_transpose2d_forward(rec, gx, gw, b ? &gb : nullptr, gy, p);
        layers::conv_transpose2d_backward_input(rec, gdy, gw, gdx, p);
        layers::conv_transpose2d_backward_weight(rec, gx, gdy, gdw, p);
        layers::conv_transpose2d_backward_bias(rec, gdy, gdb);
        rec.finish();
        ctx.run(rec);
        CHECK(check::compare(ctx, "y", gy, g["y"], check::k_forward_tolerance).pass());
        CHECK(check::compare(ctx, "dX", gdx, g["dx"], check::k_backward_tolerance).pass());
        CHECK(check::compare(ctx, "dW", gdw, g["dw"], check::k_backward_tolerance).pass());
        if (b) CHECK(check::compare(ctx, "dBias", gdb, g["db"], check::k_backward_tolerance).pass());
    }
    test::require_no_validation_messages();
}

TEST_CASE("conv_transpose2d: every pass gives the same bits, run after run", "[gpu][conv_transpose2d][determinism]") {
    auto& ctx = test::gpu();
    // Enough input rows that dW is split into many chunks (partials), and values of mixed
    // magnitude so that a different summation order would show in the bits.
    Shape in{4, 5, 9, 7};
    ConvTranspose2dParams p{5, 24, 3, 2, 1, 1, true};
    REQUIRE(layers::conv_transpose2d_weight_chunks(in, p) > 1);
    Shape out = p.output_shape(in);
    Tensor x = check::to_gpu(ctx, check::random_tensor(in, 21, -100.0f, 100.0f));
    Tensor w = check::to_gpu(ctx, check::random_tensor(p.weight_shape(), 22));
    Tensor b = check::to_gpu(ctx, check::random_tensor(p.bias_shape(), 23));
    Tensor dy = check::to_gpu(ctx, check::random_tensor(out, 24, -10.0f, 10.0f));
    std::vector<std::vector<float>> ys, dxs, dws, dbs;
    for (int i = 0; i < 2; ++i) {
        Tensor y(ctx, out), dx(ctx, in), dw(ctx, p.weight_shape()), db(ctx, p.bias_shape());
        gpu::Recording rec(ctx);
        layers::conv_transpose2d_forward(rec, x, w, &b, y, p);
        layers::conv_transpose2d_backward_input(rec, dy, w, dx, p);
        layers::conv_transpose2d_backward_weight(rec, x, dy, dw, p);
        layers::conv_transpose2d_backward_bias(rec, dy, db);
        rec.finish();
        for (int replay = 0; replay < 2; ++replay) {   // a recording replayed, and a new recording
            ctx.run(rec);
            ys.push_back(y.download(ctx));
            dxs.push_back(dx.download(ctx));
            dws.push_back(dw.download(ctx));
            dbs.push_back(db.download(ctx));
        }
    }
    for (size_t i = 1; i < dws.size(); ++i) {
        CHECK(ys[i] == ys[0]);
        CHECK(dxs[i] == dxs[0]);
        CHECK(dws[i] == dws[0]);
        CHECK(dbs[i] == dbs[0]);
    }
    test::require_no_validation_messages();
}

TEST_CASE("conv_transpose2d: mismatched shapes are refused", "[gpu][conv_transpose2d]") {
    auto& ctx = test::gpu();
    ConvTranspose2dParams p{3, 4, 2, 2, 0, 0, true};
    Tensor x(ctx, {1, 3, 5, 7}), w(ctx, p.weight_shape()), b(ctx, p.bias_shape()), y(ctx, {1, 4, 10, 14});
    Tensor wrong(ctx, {1, 4, 10, 13}), conv_weight(ctx, {4, 3, 2, 2});
    gpu::Recording rec(ctx);
    CHECK_THROWS_WITH(layers::conv_transpose2d_forward(rec, x, w, &b, wrong, p), Catch::Contains("conv_transpose2d_forward"));
    CHECK_THROWS_WITH(layers::conv_transpose2d_forward(rec, x, w, nullptr, y, p), Catch::Contains("bias"));
    CHECK_THROWS(layers::conv_transpose2d_forward(rec, x, conv_weight, &b, y, p));   // Conv2d's layout, not ours
    CHECK_THROWS(layers::conv_transpose2d_backward_input(rec, wrong, w, x, p));
    CHECK_THROWS(layers::conv_transpose2d_backward_weight(rec, x, wrong, w, p));
    rec.finish();
    test::require_no_validation_messages();
}
