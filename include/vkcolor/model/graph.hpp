#pragma once
// A model described as data: a list of nodes in execution order, each an op with named inputs,
// and the parameters they own under PyTorch state_dict names. The scheduler walks any graph, so
// a new architecture needs a new graph, not new scheduler code.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "vkcolor/data/task.hpp"
#include "vkcolor/tensor.hpp"

namespace vkcolor::model {

enum class OpKind {
    Conv2d, BatchNorm2d, ReLU, MaxPool2d, UpsampleNearest2d, Concat,
    LeakyReLU, Sigmoid, Tanh, AvgPool2d, UpsampleBilinear2d,
    MaxUnpool2d,        // undoes the max-pool node named in `indices_from`, with its winners
    ConvTranspose2d,
    Linear,             // on N x F x 1 x 1 (after a Flatten)
    Flatten,            // N x C x H x W -> N x CHW x 1 x 1, a view
    Reshape,            // N x F x 1 x 1 -> N x reshape_c x reshape_h x reshape_w, a view
    Dropout,
    Add,                // inputs[0] + inputs[1], same shape
    Mul,                // inputs[0] * inputs[1], the second N x 1 x H x W (broadcast over channels)
};
const char* op_name(OpKind op);

enum class LossKind { Mse, L1, CrossEntropy };
const char* loss_name(LossKind loss);

struct Node {
    std::string name;                 // PyTorch module path: "downconv1.0", "rfconv.1", "cat_out3_out2"
    OpKind op = OpKind::ReLU;
    std::vector<std::string> inputs;  // names of earlier nodes, or "input"

    // Conv2d, ConvTranspose2d (also output_padding), Linear (out_channels = out_features)
    uint32_t out_channels = 0, kernel = 3, stride = 1, padding = 0, dilation = 1, output_padding = 0;
    bool bias = true;
    // BatchNorm2d
    float eps = 1e-5f, momentum = 0.1f;
    // LeakyReLU
    float negative_slope = 0.01f;
    // Dropout: drop probability; the mask seed is the node's position in the graph
    float p = 0.5f;
    // MaxUnpool2d: the MaxPool2d node whose winners it scatters back to
    std::string indices_from;
    // Reshape
    uint32_t reshape_c = 0, reshape_h = 0, reshape_w = 0;
};

enum class ParamRole { Weight, Bias, RunningMean, RunningVar, BatchesTracked };

// One state_dict entry. Trainable entries (weights, biases, BN gamma/beta) get gradients and
// optimizer state; running statistics and the batch counter are buffers.
struct ParamSpec {
    std::string name;              // "downconv1.0.weight"
    std::string node;              // "downconv1.0"
    ParamRole role;
    std::vector<int64_t> shape;    // PyTorch's shape: [32, 1, 3, 3], [32], [] for the counter
    bool trainable() const { return role == ParamRole::Weight || role == ParamRole::Bias; }
    size_t count() const;
};

struct Graph {
    std::string model;             // preset name
    uint32_t in_channels = 1;
    uint32_t out_channels = 3;     // colours for classification, 3 for RGB regression
    LossKind loss = LossKind::Mse;
    // The input size parameters are laid out for: fully convolutional models take any size, a
    // model with a dense layer (Flatten -> Linear) only this one.
    uint32_t nominal_size = 32;
    std::vector<Node> nodes;       // execution order; the last node is the output

    const Node& node(const std::string& name) const;
    // Output shape of every node (and "input") for an input of the given shape; throws
    // vkcolor::Error if the graph is inconsistent or the input does not fit (e.g. H not divisible
    // by the pooling factor).
    std::map<std::string, Shape> infer_shapes(const Shape& input) const;
    std::vector<ParamSpec> parameters() const;
    size_t trainable_count() const;
    // How much H and W must be divisible by (2 per max-pool on the way down).
    uint32_t spatial_multiple() const;
};

struct ModelConfig {
    // regression, cnn, unet, dunet (CSC321); attention_unet; cs520 (dense bottleneck, unpooling
    // decoder); autoencoder (RGB -> RGB); ycbcr (Y -> Cb, Cr). See presets.cpp.
    std::string model = "unet";
    uint32_t num_filters = 32;
    uint32_t kernel = 3;
    uint32_t colours = 24;         // classification outputs
    uint32_t in_channels = 1;      // follows from the task (kept in checkpoints for reference)
    uint32_t dilation = 2;         // dunet's rfconv
    std::string task = "colour";   // colour | superres (autoencoder and ycbcr have their own)
    std::string loss;              // ce | mse | l1; empty: the model's own (mse for regression,
                                   // autoencoder and ycbcr, ce for the others)
    std::string activation = "relu";   // relu | leaky
    float negative_slope = 0.01f;      // leaky's slope (PyTorch's default)
    std::string grey = "mean";     // grey input: mean of R, G, B (CSC321) | luma (CS520)
    float dropout = 0.5f;          // cs520's bottleneck dropout
    uint32_t latent = 256;         // cs520's bottleneck width
    std::vector<uint32_t> encoder{8, 12, 16};   // autoencoder: channels per conv + max-pool level
};

// Upper limits of the settings (flags and checkpoint metadata alike), far above any model the
// presets are meant for, and of a model's size: a model past them is refused before anything is
// allocated for it.
constexpr uint32_t k_max_num_filters = 4096, k_max_kernel = 31, k_max_dilation = 1024, k_max_colours = 4096;
constexpr uint32_t k_max_latent = 1u << 20, k_max_encoder_levels = 8;
constexpr uint64_t k_max_parameters = 1ull << 28;   // 1 GiB of float32 weights

// The presets. Throws vkcolor::Error for an unknown model or a bad setting, or a model of more
// than k_max_parameters parameters.
Graph build_preset(const ModelConfig& config);
std::vector<std::string> preset_names();
// The loss a config trains with (its own, or the one asked for).
LossKind resolved_loss(const ModelConfig& config);
// What the model sees and predicts.
data::Task task_of(const ModelConfig& config);
// The autoencoder's latent code, C x W x W for 32 x 32 images: "16x4x4".
std::string latent_description(const ModelConfig& config);

} // namespace vkcolor::model
