// Every op a graph can hold, wired through the scheduler: one hand-built graph that uses them all
// (skips, a dense bottleneck, dropout, unpooling, transposed and 1x1 convs, a sigmoid gate)
// trains a few steps on the GPU scheduler and on the CPU reference, with each loss, and the two
// must agree step by step and in every weight.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <random>

#include "gpu_fixture.hpp"
#include "vkcolor/check/harness.hpp"
#include "vkcolor/model/cpu_model.hpp"
#include "vkcolor/model/gpu_model.hpp"

using namespace vkcolor;
using namespace vkcolor::model;

namespace {

Node op(std::string name, OpKind kind, std::vector<std::string> inputs) {
    Node n;
    n.name = std::move(name);
    n.op = kind;
    n.inputs = std::move(inputs);
    return n;
}

Node conv(std::string name, std::string input, uint32_t cout, uint32_t kernel, bool bias = true) {
    Node n = op(std::move(name), OpKind::Conv2d, {std::move(input)});
    n.out_channels = cout;
    n.kernel = kernel;
    n.padding = kernel / 2;
    n.bias = bias;
    return n;
}

// 1 x 8 x 8 in; `outputs` channels of 8 x 8 out.
Graph every_op_graph(LossKind loss, uint32_t outputs) {
    Graph g;
    g.model = "every-op";
    g.in_channels = 1;
    g.out_channels = outputs;
    g.loss = loss;
    g.nominal_size = 8;
    auto& v = g.nodes;
    v.push_back(conv("c1", "input", 4, 3, false));   // no bias before BN: its true gradient is 0
    v.push_back(op("bn", OpKind::BatchNorm2d, {"c1"}));
    Node leaky = op("leaky", OpKind::LeakyReLU, {"bn"});
    leaky.negative_slope = 0.1f;
    v.push_back(leaky);
    v.push_back(op("mp", OpKind::MaxPool2d, {"leaky"}));
    v.push_back(op("ap", OpKind::AvgPool2d, {"leaky"}));          // leaky has two consumers
    v.push_back(op("sum", OpKind::Add, {"mp", "ap"}));
    v.push_back(conv("gate", "sum", 1, 1));
    v.push_back(op("sig", OpKind::Sigmoid, {"gate"}));
    v.push_back(op("gated", OpKind::Mul, {"sum", "sig"}));        // broadcast over channels
    v.push_back(op("flat", OpKind::Flatten, {"gated"}));
    Node fc1 = op("fc1", OpKind::Linear, {"flat"});
    fc1.out_channels = 16;
    v.push_back(fc1);
    v.push_back(op("th", OpKind::Tanh, {"fc1"}));
    Node drop = op("drop", OpKind::Dropout, {"th"});
    drop.p = 0.25f;
    v.push_back(drop);
    Node fc2 = op("fc2", OpKind::Linear, {"drop"});
    fc2.out_channels = 64;
    v.push_back(fc2);
    Node rs = op("rs", OpKind::Reshape, {"fc2"});
    rs.reshape_c = 4, rs.reshape_h = 4, rs.reshape_w = 4;
    v.push_back(rs);
    Node un = op("un", OpKind::MaxUnpool2d, {"rs"});
    un.indices_from = "mp";
    v.push_back(un);
    Node ct = op("ct", OpKind::ConvTranspose2d, {"un"});
    ct.out_channels = 4, ct.kernel = 3, ct.stride = 1, ct.padding = 1;
    v.push_back(ct);
    v.push_back(op("up", OpKind::UpsampleBilinear2d, {"ct"}));
    v.push_back(op("ap2", OpKind::AvgPool2d, {"up"}));
    v.push_back(conv("out", "ap2", outputs, 3));
    return g;
}

HostTensor random_tensor(Shape s, uint32_t seed, float lo, float hi) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(lo, hi);
    HostTensor t(s);
    for (auto& x : t.data) x = u(rng);
    return t;
}

} // namespace

TEST_CASE("graph shapes of the new ops follow PyTorch", "[graph]") {
    Graph g = every_op_graph(LossKind::CrossEntropy, 5);
    auto s = g.infer_shapes({2, 1, 8, 8});
    CHECK(s.at("flat") == Shape{2, 64, 1, 1});
    CHECK(s.at("rs") == Shape{2, 4, 4, 4});
    CHECK(s.at("un") == Shape{2, 4, 8, 8});
    CHECK(s.at("up") == Shape{2, 4, 16, 16});
    CHECK(s.at("out") == Shape{2, 5, 8, 8});
    // Linear weights are PyTorch's out x in; a transposed conv's are in x out x k x k.
    bool seen_linear = false;
    for (const auto& p : g.parameters())
        if (p.name == "fc1.weight") {
            seen_linear = true;
            CHECK(p.shape == std::vector<int64_t>{16, 64});
        }
    CHECK(seen_linear);
    // A dense model refuses another input size with a message, not a crash.
    CHECK_THROWS_WITH(g.infer_shapes({1, 1, 16, 16}), Catch::Contains("takes only 8x8 images"));
}

TEST_CASE("every graph op trains the same on the GPU scheduler and the CPU reference", "[gpu][training][graph]") {
    auto& ctx = test::gpu();
    struct Case { LossKind loss; uint32_t outputs; };
    for (auto c : {Case{LossKind::CrossEntropy, 5}, Case{LossKind::L1, 3}, Case{LossKind::Mse, 3}}) {
        INFO("loss " << loss_name(c.loss));
        Graph g = every_op_graph(c.loss, c.outputs);
        StateDict init = init_parameters(g, 7);
        optim::OptimizerConfig adam;
        GpuModel gpu(ctx, g, init, adam);
        CpuModel cpu(g, init, adam);
        const Shape in{3, 1, 8, 8};
        GpuPass& pass = gpu.pass(in, PassMode::Train);
        for (uint32_t step = 0; step < 3; ++step) {
            HostTensor x = random_tensor(in, 10 + step, 0.0f, 1.0f);
            HostTensor target = c.loss == LossKind::CrossEntropy ? HostTensor(Shape{3, 1, 8, 8}) : random_tensor({3, 3, 8, 8}, 20 + step, 0.0f, 1.0f);
            if (c.loss == LossKind::CrossEntropy)
                for (size_t i = 0; i < target.data.size(); ++i) target.data[i] = float((i * 7 + step) % c.outputs);
            std::memcpy(pass.input(0), x.data.data(), x.shape.bytes());
            std::memcpy(pass.target(0), target.data.data(), target.shape.bytes());
            pass.submit(0);
            StepResult rg = pass.wait(0);
            StepResult rc = cpu.train_step(x, target);
            INFO("step " << step << ": gpu " << rg.loss << ", cpu " << rc.loss);
            CHECK(std::isfinite(rg.loss));
            CHECK(std::fabs(rg.loss - rc.loss) <= 1e-4 * std::fabs(rc.loss));
            CHECK(rg.correct == rc.correct);
        }
        StateDict sg = gpu.state();
        for (const auto& [name, t] : cpu.state().tensors) {
            INFO(name);
            CHECK(check::relative_error(sg.at(name).data, t.data) < 1e-4);
        }
        // Evaluation mode (dropout off, running statistics) agrees too.
        const Shape one{1, 1, 8, 8};
        HostTensor x = random_tensor(one, 99, 0.0f, 1.0f);
        GpuPass& infer = gpu.pass(one, PassMode::Infer);
        std::memcpy(infer.input(0), x.data.data(), x.shape.bytes());
        infer.submit(0);
        CHECK(check::relative_error(infer.output(0).data, cpu.infer(x).data) < 1e-4);
    }
    test::require_no_validation_messages();
}
