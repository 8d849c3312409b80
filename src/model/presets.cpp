// The built-in models as graphs:
//   regression, cnn, unet, dunet   the CSC321 colourizers (PyTorch state_dict names)
//   attention_unet                 the UNet with attention gates on its two feature skips
//   cs520                          an encoder, a dense bottleneck with dropout, an unpooling decoder
//   autoencoder                    RGB -> latent -> RGB, channels per level from `encoder`
//   ycbcr                          Y -> Cb, Cr with conv 16/32/64/32/2 (num_filters 32)
// Every ReLU becomes a LeakyReLU with activation = "leaky".
#include <algorithm>

#include "vkcolor/gpu/error.hpp"
#include "vkcolor/model/graph.hpp"

namespace vkcolor::model {

namespace {

class Builder {
public:
    Builder(Graph& g, const ModelConfig& c) : g_(g), c_(c) {}

    std::string add(Node n) {
        g_.nodes.push_back(std::move(n));
        return g_.nodes.back().name;
    }
    std::string op(const std::string& name, OpKind kind, std::vector<std::string> inputs) {
        Node n;
        n.name = name;
        n.op = kind;
        n.inputs = std::move(inputs);
        return add(std::move(n));
    }
    // A "same" convolution (stride 1, padding keeps the size).
    std::string conv(const std::string& name, const std::string& input, uint32_t cout, uint32_t kernel,
                     uint32_t dilation = 1, bool bias = true) {
        Node n;
        n.name = name;
        n.op = OpKind::Conv2d;
        n.inputs = {input};
        n.out_channels = cout;
        n.kernel = kernel;
        n.dilation = dilation;
        n.padding = dilation * (kernel / 2);
        n.bias = bias;
        return add(std::move(n));
    }
    // The configured activation: ReLU, or LeakyReLU with the configured slope.
    std::string act(const std::string& name, const std::string& input) {
        Node n;
        n.name = name;
        n.op = c_.activation == "leaky" ? OpKind::LeakyReLU : OpKind::ReLU;
        n.inputs = {input};
        n.negative_slope = c_.negative_slope;
        return add(std::move(n));
    }

    enum class Tail { None, Pool, Upsample };
    // Conv -> BN -> activation [-> MaxPool2 | -> Upsample x2] as PyTorch's nn.Sequential `prefix`.
    std::string block(const std::string& prefix, const std::string& input, uint32_t cout, uint32_t dilation, Tail tail) {
        conv(prefix + ".0", input, cout, c_.kernel, dilation);
        op(prefix + ".1", OpKind::BatchNorm2d, {prefix + ".0"});
        std::string out = act(prefix + ".2", prefix + ".1");
        if (tail == Tail::None) return out;
        return op(prefix + ".3", tail == Tail::Pool ? OpKind::MaxPool2d : OpKind::UpsampleNearest2d, {out});
    }

    // Oktay et al. 2018: alpha = sigmoid(psi(relu(theta(skip) + phi(gating)))), out = skip * alpha,
    // with 1x1 convs to `inter` channels (theta without bias: phi's bias serves both). Skip and
    // gating have one resolution here (the CSC321 UNet concatenates same-size tensors).
    std::string attention_gate(const std::string& name, const std::string& skip, const std::string& gating, uint32_t inter) {
        conv(name + ".theta", skip, inter, 1, 1, false);
        conv(name + ".phi", gating, inter, 1);
        op(name + ".sum", OpKind::Add, {name + ".theta", name + ".phi"});
        op(name + ".relu", OpKind::ReLU, {name + ".sum"});
        conv(name + ".psi", name + ".relu", 1, 1);
        op(name + ".alpha", OpKind::Sigmoid, {name + ".psi"});
        return op(name + ".gate", OpKind::Mul, {skip, name + ".alpha"});
    }

private:
    Graph& g_;
    const ModelConfig& c_;
};

using Tail = Builder::Tail;

void csc321(Builder& b, const ModelConfig& c, uint32_t outputs) {
    const uint32_t nf = c.num_filters;
    auto out1 = b.block("downconv1", "input", nf, 1, Tail::Pool);
    auto out2 = b.block("downconv2", out1, 2 * nf, 1, Tail::Pool);
    auto out3 = b.block("rfconv", out2, 2 * nf, c.model == "dunet" ? c.dilation : 1, Tail::None);
    if (c.model == "regression" || c.model == "cnn") {
        auto out4 = b.block("upconv1", out3, nf, 1, Tail::Upsample);
        auto out5 = b.block("upconv2", out4, outputs, 1, Tail::Upsample);
        b.conv("finalconv", out5, outputs, c.kernel);
        return;
    }
    if (c.model == "attention_unet") {
        out2 = b.attention_gate("att1", out2, out3, std::max(1u, nf));
    }
    auto out4 = b.block("upconv1", b.op("cat_out3_out2", OpKind::Concat, {out3, out2}), nf, 1, Tail::Upsample);
    if (c.model == "attention_unet") {
        out1 = b.attention_gate("att2", out1, out4, std::max(1u, nf / 2));
    }
    auto out5 = b.block("upconv2", b.op("cat_out4_out1", OpKind::Concat, {out4, out1}), outputs, 1, Tail::Upsample);
    // The grey input skip stays ungated: it is the luminance the final conv must keep.
    b.conv("finalconv", b.op("cat_out5_x", OpKind::Concat, {out5, "input"}), outputs, c.kernel);
}

void cs520(Builder& b, Graph& g, const ModelConfig& c, uint32_t outputs) {
    const uint32_t nf = c.num_filters, deep = 4 * nf, side = 32 / 8;
    auto e1 = b.block("enc1", "input", nf, 1, Tail::Pool);
    auto e2 = b.block("enc2", e1, 2 * nf, 1, Tail::Pool);
    auto e3 = b.block("enc3", e2, deep, 1, Tail::Pool);
    auto flat = b.op("bottleneck.flatten", OpKind::Flatten, {e3});
    Node fc1;
    fc1.name = "bottleneck.fc1", fc1.op = OpKind::Linear, fc1.inputs = {flat}, fc1.out_channels = c.latent;
    b.act("bottleneck.act1", b.add(fc1));
    Node drop;
    drop.name = "bottleneck.dropout", drop.op = OpKind::Dropout, drop.inputs = {"bottleneck.act1"}, drop.p = c.dropout;
    Node fc2;
    fc2.name = "bottleneck.fc2", fc2.op = OpKind::Linear, fc2.inputs = {b.add(drop)}, fc2.out_channels = deep * side * side;
    auto a2 = b.act("bottleneck.act2", b.add(fc2));
    Node rs;
    rs.name = "bottleneck.reshape", rs.op = OpKind::Reshape, rs.inputs = {a2};
    rs.reshape_c = deep, rs.reshape_h = side, rs.reshape_w = side;
    std::string x = b.add(rs);
    // Decoder: each level scatters back to where its encoder level's max-pool took its winners,
    // then a transposed conv (stride 1, "same" padding) mixes channels and fills the gaps.
    struct Level { const char* name; const char* pool; uint32_t cout; bool last; };
    for (auto l : {Level{"dec1", "enc3.3", 2 * nf, false}, Level{"dec2", "enc2.3", nf, false},
                   Level{"dec3", "enc1.3", outputs, true}}) {
        Node un;
        un.name = std::string(l.name) + ".0", un.op = OpKind::MaxUnpool2d, un.inputs = {x}, un.indices_from = l.pool;
        Node ct;
        ct.name = std::string(l.name) + ".1", ct.op = OpKind::ConvTranspose2d, ct.inputs = {b.add(un)};
        ct.out_channels = l.cout, ct.kernel = c.kernel, ct.stride = 1, ct.padding = c.kernel / 2;
        x = b.add(ct);
        if (l.last) break;   // the output layer is bare
        b.op(std::string(l.name) + ".2", OpKind::BatchNorm2d, {x});
        x = b.act(std::string(l.name) + ".3", std::string(l.name) + ".2");
    }
    g.nominal_size = 32;
}

void autoencoder(Builder& b, const ModelConfig& c) {
    const auto& ch = c.encoder;
    std::string x = "input";
    for (size_t i = 0; i < ch.size(); ++i) {
        std::string p = "enc" + std::to_string(i + 1);
        b.conv(p + ".0", x, ch[i], c.kernel);
        b.act(p + ".1", p + ".0");
        x = b.op(p + ".2", OpKind::MaxPool2d, {p + ".1"});
    }
    // Mirror: upsample, then a conv back to the previous level's channels (3 at the end).
    for (size_t i = ch.size(); i-- > 0;) {
        std::string p = "dec" + std::to_string(ch.size() - i);
        b.op(p + ".0", OpKind::UpsampleNearest2d, {x});
        uint32_t cout = i == 0 ? 3 : ch[i - 1];
        x = b.conv(p + ".1", p + ".0", cout, c.kernel);
        if (i > 0) x = b.act(p + ".2", x);
    }
    b.op("output", OpKind::Sigmoid, {x});   // RGB in [0, 1]
}

void ycbcr(Builder& b, const ModelConfig& c) {
    const uint32_t nf = c.num_filters;   // 32: 16/32/64/32/2
    b.conv("conv1.0", "input", std::max(1u, nf / 2), c.kernel);
    b.act("conv1.1", "conv1.0");
    b.op("conv1.2", OpKind::MaxPool2d, {"conv1.1"});
    b.conv("conv2.0", "conv1.2", nf, c.kernel);
    b.act("conv2.1", "conv2.0");
    b.op("conv2.2", OpKind::MaxPool2d, {"conv2.1"});
    b.conv("conv3.0", "conv2.2", 2 * nf, c.kernel);
    b.act("conv3.1", "conv3.0");
    b.op("up1.0", OpKind::UpsampleNearest2d, {"conv3.1"});
    b.conv("up1.1", "up1.0", nf, c.kernel);
    b.act("up1.2", "up1.1");
    b.op("up2.0", OpKind::UpsampleNearest2d, {"up1.2"});
    b.conv("up2.1", "up2.0", 2, c.kernel);
    b.op("output", OpKind::Sigmoid, {"up2.1"});   // Cb, Cr in [0, 1]; 0.5 (no colour) at zero
}

bool one_of(const std::string& v, std::initializer_list<const char*> options) {
    return std::any_of(options.begin(), options.end(), [&](const char* o) { return v == o; });
}

} // namespace

std::vector<std::string> preset_names() {
    return {"regression", "cnn", "unet", "dunet", "attention_unet", "cs520", "autoencoder", "ycbcr"};
}

LossKind resolved_loss(const ModelConfig& c) {
    if (c.loss == "ce") return LossKind::CrossEntropy;
    if (c.loss == "mse") return LossKind::Mse;
    if (c.loss == "l1") return LossKind::L1;
    if (!c.loss.empty()) throw Error("unknown --loss '" + c.loss + "'; the losses are ce, mse, l1");
    return one_of(c.model, {"regression", "autoencoder", "ycbcr"}) ? LossKind::Mse : LossKind::CrossEntropy;
}

data::Task task_of(const ModelConfig& c) {
    data::Task t;
    t.grey = c.grey == "luma" ? data::GreyMode::luma : data::GreyMode::mean;
    const LossKind loss = resolved_loss(c);
    if (c.model == "autoencoder") {
        t.input = data::InputKind::rgb, t.target = data::TargetKind::rgb;
    } else if (c.model == "ycbcr") {
        t.input = data::InputKind::luma_y, t.target = data::TargetKind::cbcr;
    } else {
        t.input = c.task == "superres" ? data::InputKind::low_res_rgb : data::InputKind::grey;
        t.target = loss == LossKind::CrossEntropy ? data::TargetKind::classes : data::TargetKind::rgb;
    }
    return t;
}

std::string latent_description(const ModelConfig& c) {
    if (c.encoder.empty()) return "";
    const uint32_t side = 32 >> c.encoder.size();
    return std::to_string(c.encoder.back()) + "x" + std::to_string(side) + "x" + std::to_string(side);
}

Graph build_preset(const ModelConfig& c) {
    auto names = preset_names();
    if (std::find(names.begin(), names.end(), c.model) == names.end())
        throw Error("unknown model '" + c.model + "'; the models are regression, cnn, unet, dunet, attention_unet, cs520, "
                    "autoencoder, ycbcr");
    if (c.kernel % 2 == 0 || c.kernel == 0)
        throw Error("--kernel " + std::to_string(c.kernel) + " must be odd (padding k/2 keeps the size)");
    if (c.num_filters == 0) throw Error("--num-filters must be at least 1");
    if (c.dilation == 0) throw Error("--dilation must be at least 1");
    // Upper limits far above any sensible model, checked before anything is sized by them, for
    // every setting whether the model uses it or not (a checkpoint's metadata is untrusted):
    // without them a huge value ends in an out-of-memory crash, or in sizes that wrap.
    auto at_most = [](const char* name, uint64_t value, uint64_t limit) {
        if (value > limit)
            throw Error(std::string(name) + " " + std::to_string(value) + " is above the limit of " + std::to_string(limit));
    };
    at_most("--num-filters", c.num_filters, k_max_num_filters);
    at_most("--kernel", c.kernel, k_max_kernel);
    at_most("--dilation", c.dilation, k_max_dilation);
    at_most("--colours", c.colours, k_max_colours);
    at_most("--latent", c.latent, k_max_latent);
    at_most("the number of --encoder levels", c.encoder.size(), k_max_encoder_levels);
    for (auto ch : c.encoder) at_most("--encoder channel count", ch, k_max_num_filters);
    if (!one_of(c.task, {"colour", "superres"})) throw Error("unknown --task '" + c.task + "'; the tasks are colour, superres");
    if (!one_of(c.activation, {"relu", "leaky"}))
        throw Error("unknown --activation '" + c.activation + "'; the activations are relu, leaky");
    if (!one_of(c.grey, {"mean", "luma"})) throw Error("unknown --grey '" + c.grey + "'; the grey modes are mean, luma");
    if (!(c.dropout >= 0 && c.dropout < 1)) throw Error("--dropout must be in [0, 1)");
    if (!(c.negative_slope >= 0)) throw Error("--leaky-slope must not be negative");
    const LossKind loss = resolved_loss(c);
    if (loss == LossKind::CrossEntropy && c.colours < 2) throw Error("--colours must be at least 2");
    if (one_of(c.model, {"autoencoder", "ycbcr"})) {
        if (loss == LossKind::CrossEntropy)
            throw Error("model " + c.model + " regresses " + (c.model == "ycbcr" ? "Cb and Cr" : "RGB") + "; use --loss mse or l1");
        if (c.task != "colour") throw Error("model " + c.model + " has its own task; --task superres is for the colourizers");
    }
    if (c.model == "autoencoder") {
        if (c.encoder.empty() || c.encoder.size() > 5)
            throw Error("--encoder needs 1 to 5 channel counts (each level halves 32x32)");
        for (auto ch : c.encoder)
            if (ch == 0) throw Error("--encoder channel counts must be at least 1");
    }
    if (c.model == "cs520" && c.latent == 0) throw Error("--latent must be at least 1");

    Graph g;
    g.model = c.model;
    const data::Task task = task_of(c);
    g.in_channels = task.input_channels();
    g.loss = loss;
    g.out_channels = loss == LossKind::CrossEntropy ? c.colours : task.target_channels();
    Builder b(g, c);
    if (c.model == "cs520") cs520(b, g, c, g.out_channels);
    else if (c.model == "autoencoder") autoencoder(b, c);
    else if (c.model == "ycbcr") ycbcr(b, c);
    else csc321(b, c, g.out_channels);
    uint64_t parameters = 0;
    for (const auto& p : g.parameters()) parameters += p.count();
    if (parameters > k_max_parameters)
        throw Error("model " + c.model + " with these settings has " + std::to_string(parameters) +
                    " parameters, above the limit of " + std::to_string(k_max_parameters) + " (1 GiB of weights)");
    return g;
}

} // namespace vkcolor::model
