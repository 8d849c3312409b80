// Conv2d (shaders conv2d_forward, conv2d_forward_naive, conv2d_backward_input,
// conv2d_weight_swap_channels, conv2d_backward_weight, all built on conv2d_tiles.glsl, with
// sum_partials and channel_sum_partial for the reductions): GPU vs CPU, finite differences,
// PyTorch golden, determinism.
#include <catch2/catch.hpp>

#include "gpu_fixture.hpp"
#include "op_test.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/gpu/context.hpp"
#include "vkcolor/gpu/recording.hpp"
#include "vkcolor/layers/conv2d.hpp"

using namespace vkcolor;
namespace cpu = vkcolor::layers::cpu;
using layers::Conv2dParams;

TEST_CASE("conv2d: GPU matches the CPU reference", "[gpu][conv2d]") { test::require_op_check_passes("conv2d"); }

TEST_CASE("conv2d: the texel passes of a step pack x and dY once each, and give the bits of separate recordings",
          "[gpu][conv2d]") {
    auto& ctx = test::gpu();
    gpu::ForcedVariant forced(ctx, "conv2d", "texel");
    const Shape in{2, 5, 9, 12};
    const Conv2dParams p{5, 24, 3, 1, 1, 1, true};
    const Shape out = p.output_shape(in);
    HostTensor hx = check::random_tensor(in, 1), hw = check::random_tensor(p.weight_shape(), 2);
    HostTensor hb = check::random_tensor(p.bias_shape(), 3), hdy = check::random_tensor(out, 4);
    Tensor x = check::to_gpu(ctx, hx), w = check::to_gpu(ctx, hw), b = check::to_gpu(ctx, hb), dy = check::to_gpu(ctx, hdy);
    Tensor y1(ctx, out), dx1(ctx, in), dw1(ctx, p.weight_shape()), y2(ctx, out), dx2(ctx, in), dw2(ctx, p.weight_shape());

    // Together: the weight gradient finds x packed by the forward pass and dY packed (with the
    // input gradient's border) by the input gradient.
    gpu::Recording step(ctx);
    layers::conv2d_forward(step, x, w, &b, y1, p);
    layers::conv2d_backward_input(step, dy, w, dx1, p);
    layers::conv2d_backward_weight(step, x, dy, dw1, p);
    step.finish();
    ctx.run(step);
    // forward: pack x, pack w, product; input gradient: pack dY, pack w, product; weight
    // gradient: product and sum_partials only.
    CHECK(step.dispatch_count() == 8);

    size_t apart = 0;
    for (int pass = 0; pass < 3; ++pass) {
        gpu::Recording rec(ctx);
        if (pass == 0) layers::conv2d_forward(rec, x, w, &b, y2, p);
        if (pass == 1) layers::conv2d_backward_input(rec, dy, w, dx2, p);
        if (pass == 2) layers::conv2d_backward_weight(rec, x, dy, dw2, p);
        rec.finish();
        ctx.run(rec);
        apart += rec.dispatch_count();
    }
    CHECK(apart == 10);
    CHECK(y1.download(ctx) == y2.download(ctx));
    CHECK(dx1.download(ctx) == dx2.download(ctx));
    CHECK(dw1.download(ctx) == dw2.download(ctx));
    test::require_no_validation_messages();
}

TEST_CASE("conv2d: output sizes follow PyTorch", "[conv2d]") {
    // floor((H + 2p - d(k-1) - 1) / s) + 1
    CHECK(Conv2dParams{3, 8, 3, 1, 1, 1}.output_shape({2, 3, 13, 11}) == Shape{2, 8, 13, 11});
    CHECK(Conv2dParams{3, 8, 3, 2, 1, 1}.output_shape({2, 3, 13, 11}) == Shape{2, 8, 7, 6});
    CHECK(Conv2dParams{3, 8, 5, 1, 2, 2}.output_shape({1, 3, 13, 11}) == Shape{1, 8, 9, 7});
    CHECK(Conv2dParams{3, 8, 1, 2, 0, 1}.output_shape({1, 3, 5, 7}) == Shape{1, 8, 3, 4});
    CHECK_THROWS(Conv2dParams{3, 8, 5, 1, 0, 1}.output_shape({1, 3, 4, 7}));   // kernel larger than the input
    CHECK_THROWS(Conv2dParams{4, 8, 3, 1, 1, 1}.output_shape({1, 3, 5, 7}));   // wrong channel count
}

TEST_CASE("conv2d: CPU backward passes match finite differences", "[conv2d][fd]") {
    struct Case {
        Shape input;
        Conv2dParams p;
    };
    for (const Case& c : {Case{{2, 3, 7, 6}, {3, 4, 3, 1, 1, 1, true}}, Case{{1, 2, 9, 8}, {2, 3, 3, 2, 1, 1, true}},
                          Case{{1, 2, 11, 10}, {2, 3, 5, 1, 2, 2, true}}}) {
        const auto& p = c.p;
        INFO("x " << c.input.str() << " k" << p.kernel << " s" << p.stride << " p" << p.padding << " d" << p.dilation);
        HostTensor x = check::random_tensor(c.input, 11), w = check::random_tensor(p.weight_shape(), 12);
        HostTensor b = check::random_tensor(p.bias_shape(), 13);
        HostTensor g = check::random_tensor(p.output_shape(c.input), 14);
        // f = sum(conv(x, w, b) * g): its gradients are the backward passes applied to g. The
        // convolution is linear in each argument, so central differences are exact up to rounding.
        auto fx = [&](const HostTensor& v) { return test::dot(cpu::conv2d_forward(v, w, &b, p), g); };
        auto fw = [&](const HostTensor& v) { return test::dot(cpu::conv2d_forward(x, v, &b, p), g); };
        auto fb = [&](const HostTensor& v) { return test::dot(cpu::conv2d_forward(x, w, &v, p), g); };
        CHECK(test::finite_difference_error(fx, x, cpu::conv2d_backward_input(g, w, c.input, p)) < 1e-3);
        CHECK(test::finite_difference_error(fw, w, cpu::conv2d_backward_weight(x, g, p)) < 1e-3);
        CHECK(test::finite_difference_error(fb, b, cpu::conv2d_backward_bias(g)) < 1e-3);
    }
}

namespace {
Conv2dParams golden_params(const test::Golden& g) {
    const auto& j = g.params;
    return {j["in_channels"], j["out_channels"], j["kernel"], j["stride"], j["padding"], j["dilation"], j["bias"]};
}
} // namespace

TEST_CASE("conv2d: CPU reference and GPU match PyTorch", "[gpu][conv2d][golden]") {
    auto& ctx = test::gpu();
    for (const char* name : {"conv2d_k3_s1_p1", "conv2d_k3_s2_p1_nobias", "conv2d_k5_p2_d2"}) {
        INFO("golden " << name);
        auto g = test::load_golden(name);
        Conv2dParams p = golden_params(g);
        const HostTensor* b = p.bias ? &g["b"] : nullptr;
        const HostTensor &x = g["x"], &w = g["w"], &dy = g["dy"];

        HostTensor y = cpu::conv2d_forward(x, w, b, p);
        CHECK(check::relative_error(y.data, g["y"].data) < check::k_forward_tolerance);
        CHECK(check::relative_error(cpu::conv2d_backward_input(dy, w, x.shape, p).data, g["dx"].data) <
              check::k_backward_tolerance);
        CHECK(check::relative_error(cpu::conv2d_backward_weight(x, dy, p).data, g["dw"].data) <
              check::k_backward_tolerance);
        if (b)
            CHECK(check::relative_error(cpu::conv2d_backward_bias(dy).data, g["db"].data) < check::k_backward_tolerance);

        for (const std::string& variant : layers::conv2d_variants()) {
            INFO("kernels " << variant);
            gpu::ForcedVariant forced(ctx, "conv2d", variant);
            Tensor gx = check::to_gpu(ctx, x), gw = check::to_gpu(ctx, w), gdy = check::to_gpu(ctx, dy);
            Tensor gb = check::to_gpu(ctx, b ? *b : HostTensor(p.bias_shape()));
            Tensor gy(ctx, y.shape), gdx(ctx, x.shape), gdw(ctx, w.shape), gdb(ctx, p.bias_shape());
            gpu::Recording rec(ctx);
            layers::conv2d_forward(rec, gx, gw, b ? &gb : nullptr, gy, p);
            layers::conv2d_backward_input(rec, gdy, gw, gdx, p);
            layers::conv2d_backward_weight(rec, gx, gdy, gdw, p);
            layers::conv2d_backward_bias(rec, gdy, gdb);
            rec.finish();
            ctx.run(rec);
            CHECK(check::compare(ctx, "y", gy, g["y"], check::k_forward_tolerance).pass());
            CHECK(check::compare(ctx, "dX", gdx, g["dx"], check::k_backward_tolerance).pass());
            CHECK(check::compare(ctx, "dW", gdw, g["dw"], check::k_backward_tolerance).pass());
            if (b) CHECK(check::compare(ctx, "dBias", gdb, g["db"], check::k_backward_tolerance).pass());
        }
    }
    test::require_no_validation_messages();
}

TEST_CASE("conv2d: backward passes give the same bits, run after run", "[gpu][conv2d][determinism]") {
    auto& ctx = test::gpu();
    // Enough output rows that dW is split into many chunks (partials) by either kernel (texel:
    // 4096 / 600 = 6 rows a chunk), and values of mixed magnitude so that a different summation
    // order would show in the bits.
    Shape in{4, 5, 13, 600};
    Conv2dParams p{5, 24, 3, 1, 1, 1, true};
    REQUIRE(layers::conv2d_weight_chunks(in, p) > 1);
    Shape out = p.output_shape(in);
    Tensor x = check::to_gpu(ctx, check::random_tensor(in, 21, -100.0f, 100.0f));
    Tensor w = check::to_gpu(ctx, check::random_tensor(p.weight_shape(), 22));
    Tensor dy = check::to_gpu(ctx, check::random_tensor(out, 23, -10.0f, 10.0f));
    for (const std::string& variant : layers::conv2d_variants()) {
    INFO("kernels " << variant);
    gpu::ForcedVariant forced(ctx, "conv2d", variant);
    std::vector<std::vector<float>> dws, dbs, dxs;
    for (int i = 0; i < 2; ++i) {
        Tensor dx(ctx, in), dw(ctx, p.weight_shape()), db(ctx, p.bias_shape());
        gpu::Recording rec(ctx);
        layers::conv2d_backward_input(rec, dy, w, dx, p);
        layers::conv2d_backward_weight(rec, x, dy, dw, p);
        layers::conv2d_backward_bias(rec, dy, db);
        rec.finish();
        for (int replay = 0; replay < 2; ++replay) {   // a recording replayed, and a new recording
            ctx.run(rec);
            dws.push_back(dw.download(ctx));
            dbs.push_back(db.download(ctx));
            dxs.push_back(dx.download(ctx));
        }
    }
    for (size_t i = 1; i < dws.size(); ++i) {
        CHECK(dws[i] == dws[0]);
        CHECK(dbs[i] == dbs[0]);
        CHECK(dxs[i] == dxs[0]);
    }
    }
    test::require_no_validation_messages();
}

TEST_CASE("conv2d: mismatched shapes are refused", "[gpu][conv2d]") {
    auto& ctx = test::gpu();
    Conv2dParams p{3, 4, 3, 1, 1, 1, true};
    Tensor x(ctx, {1, 3, 5, 7}), w(ctx, p.weight_shape()), b(ctx, p.bias_shape()), y(ctx, {1, 4, 5, 7});
    Tensor wrong(ctx, {1, 4, 5, 6});
    gpu::Recording rec(ctx);
    CHECK_THROWS_WITH(layers::conv2d_forward(rec, x, w, &b, wrong, p), Catch::Contains("conv2d_forward"));
    CHECK_THROWS_WITH(layers::conv2d_forward(rec, x, w, nullptr, y, p), Catch::Contains("bias"));
    CHECK_THROWS(layers::conv2d_backward_input(rec, wrong, w, x, p));
    CHECK_THROWS(layers::conv2d_backward_weight(rec, x, wrong, w, p));
    rec.finish();
    test::require_no_validation_messages();
}

TEST_CASE("conv2d: the texel variant runs its own shaders on the checked shapes, and falls back where it must",
          "[gpu][conv2d]") {
    auto& ctx = test::gpu();
    gpu::ForcedVariant forced(ctx, "conv2d", "texel");
    // A case of the op check (src/check/conv2d_check.cpp), which runs every variant against the
    // CPU reference: the texel shaders are what it verifies when this variant is forced.
    Shape in{2, 25, 16, 16};
    Conv2dParams p{25, 24, 3, 1, 1, 1, true};
    for (const char* pass : {"forward", "backward_input"}) {
        INFO(pass);
        std::string shaders = layers::conv2d_shaders_for(ctx, pass, in, p);
        CHECK_THAT(shaders, Catch::Contains("conv2d_pack_input") && Catch::Contains("conv2d_pack_weight") &&
                                Catch::Contains("conv2d_texel_forward"));
    }
    CHECK_THAT(layers::conv2d_shaders_for(ctx, "backward_weight", in, p),
               Catch::Contains("conv2d_pack_input") && Catch::Contains("conv2d_texel_weight"));
    // The input gradient of a stride-2 convolution has no texel kernel: it runs tiled.
    Conv2dParams s2{25, 24, 3, 2, 1, 1, true};
    CHECK(layers::conv2d_kernel_for(ctx, "backward_input", in, s2) == "tiled");
    CHECK(layers::conv2d_kernel_for(ctx, "backward_weight", in, s2) == "texel");
    test::require_op_check_passes("conv2d");
}
