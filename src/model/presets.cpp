// The CSC321 colourizers as graphs: RegressionCNN, CNN, UNet and the dilated UNet.
#include <algorithm>

#include "vkcolor/gpu/error.hpp"
#include "vkcolor/model/graph.hpp"

namespace vkcolor::model {

namespace {

// Appends Conv -> BN -> ReLU [-> MaxPool2 | -> Upsample x2] as PyTorch's nn.Sequential "prefix".
enum class Tail { None, Pool, Upsample };

std::string block(Graph& g, const std::string& prefix, std::vector<std::string> inputs, uint32_t cout,
                  uint32_t kernel, uint32_t dilation, Tail tail) {
    Node conv;
    conv.name = prefix + ".0";
    conv.op = OpKind::Conv2d;
    conv.inputs = std::move(inputs);
    conv.out_channels = cout;
    conv.kernel = kernel;
    conv.dilation = dilation;
    conv.padding = dilation * (kernel / 2);
    g.nodes.push_back(conv);
    g.nodes.push_back({prefix + ".1", OpKind::BatchNorm2d, {prefix + ".0"}});
    g.nodes.push_back({prefix + ".2", OpKind::ReLU, {prefix + ".1"}});
    if (tail == Tail::None) return prefix + ".2";
    g.nodes.push_back({prefix + ".3", tail == Tail::Pool ? OpKind::MaxPool2d : OpKind::UpsampleNearest2d, {prefix + ".2"}});
    return prefix + ".3";
}

std::string concat(Graph& g, const std::string& a, const std::string& b, const std::string& name) {
    g.nodes.push_back({name, OpKind::Concat, {a, b}});
    return name;
}

void final_conv(Graph& g, const std::string& input, uint32_t cout, uint32_t kernel) {
    Node conv;
    conv.name = "finalconv";
    conv.op = OpKind::Conv2d;
    conv.inputs = {input};
    conv.out_channels = cout;
    conv.kernel = kernel;
    conv.padding = kernel / 2;
    g.nodes.push_back(conv);
}

} // namespace

std::vector<std::string> preset_names() { return {"regression", "cnn", "unet", "dunet"}; }

Graph build_preset(const ModelConfig& c) {
    auto names = preset_names();
    if (std::find(names.begin(), names.end(), c.model) == names.end())
        throw Error("unknown model '" + c.model + "'; the models are regression, cnn, unet, dunet");
    if (c.kernel % 2 == 0 || c.kernel == 0)
        throw Error("--kernel " + std::to_string(c.kernel) + " must be odd (padding k/2 keeps the size)");
    if (c.num_filters == 0) throw Error("--num-filters must be at least 1");
    if (c.model != "regression" && c.colours < 2) throw Error("--colours must be at least 2");
    if (c.dilation == 0) throw Error("--dilation must be at least 1");

    Graph g;
    g.model = c.model;
    g.in_channels = c.in_channels;
    const uint32_t nf = c.num_filters, k = c.kernel;
    const bool regression = c.model == "regression";
    g.out_channels = regression ? 3 : c.colours;
    g.loss = regression ? LossKind::Mse : LossKind::CrossEntropy;

    auto out1 = block(g, "downconv1", {"input"}, nf, k, 1, Tail::Pool);
    auto out2 = block(g, "downconv2", {out1}, 2 * nf, k, 1, Tail::Pool);
    uint32_t rf_dilation = c.model == "dunet" ? c.dilation : 1;
    auto out3 = block(g, "rfconv", {out2}, 2 * nf, k, rf_dilation, Tail::None);
    if (c.model == "regression" || c.model == "cnn") {
        auto out4 = block(g, "upconv1", {out3}, nf, k, 1, Tail::Upsample);
        auto out5 = block(g, "upconv2", {out4}, g.out_channels, k, 1, Tail::Upsample);
        final_conv(g, out5, g.out_channels, k);
    } else {
        auto out4 = block(g, "upconv1", {concat(g, out3, out2, "cat_out3_out2")}, nf, k, 1, Tail::Upsample);
        auto out5 = block(g, "upconv2", {concat(g, out4, out1, "cat_out4_out1")}, g.out_channels, k, 1, Tail::Upsample);
        final_conv(g, concat(g, out5, "input", "cat_out5_x"), g.out_channels, k);
    }
    return g;
}

} // namespace vkcolor::model
