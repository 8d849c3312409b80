#include "vkcolor/train/activations.hpp"

#include <algorithm>

#include "vkcolor/gpu/error.hpp"
#include "vkcolor/io/image.hpp"
#include "vkcolor/report/feature_mosaic.hpp"
#include "vkcolor/train/backend.hpp"

namespace vkcolor::train {

std::vector<HiddenBlock> hidden_blocks(const model::Graph& graph) {
    std::vector<HiddenBlock> blocks;
    for (size_t i = 0; i + 1 < graph.nodes.size(); ++i) {   // all but the final output node
        const std::string& node = graph.nodes[i].name;
        if (node.rfind("cat_", 0) == 0) continue;
        const std::string module = node.substr(0, node.find('.'));
        auto it = std::find_if(blocks.begin(), blocks.end(), [&](const HiddenBlock& b) { return b.name == module; });
        if (it == blocks.end()) blocks.push_back({module, node});
        else it->node = node;   // a later node of the block: its output so far
    }
    return blocks;
}

namespace {

std::string size_text(const Shape& s) { return std::to_string(s.w) + "x" + std::to_string(s.h); }

std::string input_description(data::InputKind kind) {
    switch (kind) {
    case data::InputKind::grey: return "grey input";
    case data::InputKind::luma_y: return "Y (luma) input";
    case data::InputKind::low_res_rgb: return "low-resolution RGB input";
    case data::InputKind::rgb: return "RGB input";
    }
    return "input";
}

HostTensor magnify(const HostTensor& image, uint32_t zoom) {
    return zoom == 1 ? image : io::resize_area(image, image.shape.w * zoom, image.shape.h * zoom);   // repeats pixels
}

} // namespace

std::vector<Picture> activation_pictures(Backend& backend, const model::Graph& graph, const data::Task& task,
                                         const data::Palette& palette, const data::Batch& example, uint32_t zoom) {
    if (example.input.shape.n != 1) throw Error("internal: activation pictures of " + std::to_string(example.input.shape.n) + " images");
    const auto blocks = hidden_blocks(graph);
    std::vector<std::string> nodes;
    for (const auto& b : blocks) nodes.push_back(b.node);
    nodes.push_back(graph.nodes.back().name);
    auto acts = backend.activations(example.input, nodes);   // one forward pass for all of them

    const Shape& s = example.rgb.shape;
    std::vector<Picture> pictures;
    // A one-channel input (grey, or Y) is saved as it is; a three-channel one as the RGB it is.
    const HostTensor input = task.input_channels() == 1 ? example.input : data::task_input_rgb(task, example.input);
    pictures.push_back({"input.png", magnify(input, zoom), input_description(task.input) + ", " + size_text(example.input.shape)});
    pictures.push_back({"ground_truth.png", magnify(example.rgb, zoom), "true colours, " + size_text(s)});
    if (task.target == data::TargetKind::classes)
        pictures.push_back({"ground_truth_quantised.png", magnify(data::quantised_rgb(example.target, palette), zoom),
                            "true colours in the " + std::to_string(palette.size()) + "-colour palette, " + size_text(s)});
    const HostTensor& out = acts.back();
    pictures.push_back({"output.png", magnify(data::task_output_rgb(task, palette, out, example.input), zoom),
                        "prediction as RGB, " + size_text(out.shape)});
    for (size_t i = 0; i < blocks.size(); ++i) {
        std::string number = std::to_string(i + 1);
        if (number.size() < 2) number.insert(0, 1, '0');   // 01, 02, ...: the files sort in graph order
        const Shape& a = acts[i].shape;
        pictures.push_back({number + "_" + blocks[i].name + ".png", report::feature_mosaic(acts[i], zoom),
                            std::to_string(a.c) + " maps of " + size_text(a)});
    }
    return pictures;
}

} // namespace vkcolor::train
