// vkcolor train / infer / eval as a user runs them: every bad input gives one clear line, a
// non-zero exit, and destroys nothing. The CPU backend keeps these tests independent of Vulkan.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>
#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include "data_helpers.hpp"
#include "vkcolor/data/palette.hpp"
#include "vkcolor/data/synthetic.hpp"
#include "vkcolor/io/image.hpp"
#include "vkcolor/io/safetensors.hpp"
#include "vkcolor/model/parameters.hpp"
#include "vkcolor/train/checkpoint.hpp"

#include "cli_helpers.hpp"

using Catch::Contains;
using vkcolor::test::Run;
const auto run = vkcolor::test::run_vkcolor;
const auto lines = vkcolor::test::line_count;
using namespace vkcolor;

namespace {
// A tiny run's arguments: 16 synthetic images, 4 filters, the CPU reference.
std::string tiny(const std::filesystem::path& out, const std::string& extra = "") {
    return "train --backend cpu --model cnn --num-filters 4 --data synthetic --synthetic-train 16 "
           "--synthetic-validation 8 --batch 8 --epochs 1 --out " + out.string() + " " + extra;
}

// The command fails with exit 1 or 2 and ends on one "vkcolor: error:" line; with `alone`,
// that line is all it prints.
void expect_error(const std::string& args, const std::string& message, bool alone = true) {
    INFO("vkcolor " << args);
    auto r = run(args);
    INFO(r.out);
    CHECK((r.code == 1 || r.code == 2));
    if (alone) CHECK(lines(r.out) == 1);
    CHECK(r.out.rfind("vkcolor: error: ") == r.out.find("vkcolor: error: "));
    CHECK(r.out.substr(r.out.rfind("vkcolor: error: ")).find('\n') == r.out.size() - r.out.rfind("vkcolor: error: ") - 1);
    CHECK_THAT(r.out, Contains("vkcolor: error: "));
    CHECK_THAT(r.out, Contains(message));
}
} // namespace

TEST_CASE("train refuses bad options with one line", "[cli][train]") {
    test::ScratchDir dir;
    expect_error(tiny(dir / "a", "--batch 0"), "--batch must be at least 1");
    expect_error(tiny(dir / "b", "--lr -0.1"), "--lr must be a positive number");
    expect_error(tiny(dir / "c", "--epochs 0"), "--epochs must be at least 1");
    expect_error(tiny(dir / "d", "--model resnet"), "--model");
    expect_error(tiny(dir / "e", "--kernel 4"), "must be odd");
    expect_error("train --backend cpu --data /no/such/folder --out " + (dir / "f").string(), "/no/such/folder: no such file or folder");
    test::write_text(dir / "bad_palette.txt", "0.1 0.2\n");
    expect_error(tiny(dir / "g", "--palette " + (dir / "bad_palette.txt").string()), "bad_palette.txt");
    // An --out whose parent is a file cannot be created.
    test::write_text(dir / "file", "x");
    expect_error(tiny(dir / "file" / "run"), "cannot create the run folder");
}

TEST_CASE("palette writes a k-means palette that train accepts, and corrupt data is refused", "[cli][palette]") {
    test::ScratchDir dir;
    auto r = run("palette --data synthetic --train-images 20 --colours 5 --out " + (dir / "p5.txt").string());
    INFO(r.out);
    REQUIRE(r.code == 0);
    CHECK(data::load_palette(dir / "p5.txt").size() == 5);
    auto t = run(tiny(dir / "run", "--palette " + (dir / "p5.txt").string()));
    INFO(t.out);
    CHECK(t.code == 0);
    expect_error(tiny(dir / "run2", "--palette " + (dir / "p5.txt").string() + " --colours 7"), "does not match the palette's 5 colours");
    // A CIFAR-10 folder whose file is not a whole number of records.
    std::filesystem::create_directory(dir / "cifar");
    test::write_bytes(dir / "cifar" / "data_batch_1.bin", std::vector<uint8_t>(3073 * 2 + 5, 7));
    test::write_bytes(dir / "cifar" / "test_batch.bin", std::vector<uint8_t>(3073, 7));
    expect_error("train --backend cpu --data " + (dir / "cifar").string() + " --out " + (dir / "run3").string(), "data_batch_1.bin");
}

TEST_CASE("train never overwrites a run and resumes only a matching model", "[cli][train]") {
    test::ScratchDir dir;
    auto ok = run(tiny(dir / "run"));
    INFO(ok.out);
    REQUIRE(ok.code == 0);
    CHECK_THAT(ok.out, Contains("Epoch [1/1], Loss: "));
    CHECK_THAT(ok.out, Contains("Val Acc: "));
    auto before = test::read_bytes(dir / "run" / "checkpoint.safetensors");
    expect_error(tiny(dir / "run"), "already holds a run");
    expect_error(tiny(dir / "run", "--resume --epochs 2 --num-filters 8"), "does not match the requested model");
    // A run that diverges stops and keeps the last good checkpoint.
    expect_error(tiny(dir / "run", "--resume --epochs 2 --lr 1e30"), "training diverged at epoch 2", false);
    CHECK(test::read_bytes(dir / "run" / "checkpoint.safetensors") == before);
    auto resumed = run(tiny(dir / "run", "--resume --epochs 2"));
    INFO(resumed.out);
    CHECK(resumed.code == 0);
    CHECK_THAT(resumed.out, Contains("epochs 2-2"));
    CHECK_THAT(resumed.out, Contains("Epoch [2/2]"));
}

TEST_CASE("train takes an optimizer, refuses bad optimizer settings with one line, and resumes only the same one",
          "[cli][train][optimizer]") {
    test::ScratchDir dir;
    // Command-line errors exit with 2, settings the trainer refuses with 1.
    expect_error(tiny(dir / "a", "--optimizer rmsprop"), "--optimizer: rmsprop not in {adam,adamw,sgd}");
    CHECK(run(tiny(dir / "a", "--optimizer rmsprop")).code == 2);
    expect_error(tiny(dir / "b", "--early-stop -1"), "--early-stop: the patience is a whole number of epochs (0: off), not -1");
    CHECK(run(tiny(dir / "b", "--early-stop -1")).code == 2);
    expect_error(tiny(dir / "c", "--optimizer sgd --momentum -0.5"), "--momentum must not be negative");
    CHECK(run(tiny(dir / "c", "--optimizer sgd --momentum -0.5")).code == 1);
    expect_error(tiny(dir / "d", "--optimizer sgd --nesterov"), "--nesterov needs a --momentum above 0");
    expect_error(tiny(dir / "e", "--momentum 0.9"), "--momentum and --nesterov apply only to --optimizer sgd");
    expect_error(tiny(dir / "f", "--optimizer adamw --weight-decay -1"), "--weight-decay must not be negative");
    for (const char* name : {"a", "b", "c", "d", "e", "f"})
        CHECK(!std::filesystem::exists(dir / name / "checkpoint.safetensors"));

    auto sgd = run(tiny(dir / "sgd", "--optimizer sgd --lr 0.05 --momentum 0.9 --nesterov"));
    INFO(sgd.out);
    REQUIRE(sgd.code == 0);
    CHECK_THAT(sgd.out, Contains("batch 8, optimizer sgd (momentum 0.9, nesterov), lr 0.05\n"));
    CHECK(std::filesystem::exists(dir / "sgd" / "best.safetensors"));
    expect_error(tiny(dir / "sgd", "--resume --epochs 2"),
                 "train_state.safetensors: holds the state of sgd (momentum 0.9, nesterov), not of adam; "
                 "resume with the same optimizer settings (only --lr may change)");
    auto adamw = run(tiny(dir / "adamw", "--optimizer adamw"));
    CHECK_THAT(adamw.out, Contains("optimizer adamw (weight decay 0.01), lr 0.001"));

    // A training state from before the optimizer was recorded holds Adam's state and resumes as Adam.
    REQUIRE(run(tiny(dir / "old")).code == 0);
    auto state = io::read_safetensors(dir / "old" / "train_state.safetensors");
    CHECK(state.metadata.at("optimizer") == "adam");
    auto unknown = state;
    unknown.metadata["optimizer"] = "rmsprop";
    io::write_safetensors(dir / "old" / "train_state.safetensors", unknown);
    expect_error(tiny(dir / "old", "--resume --epochs 2"), "train_state.safetensors: unknown optimizer 'rmsprop'");
    for (const char* key : {"optimizer", "weight_decay", "beta1", "beta2", "eps"}) state.metadata.erase(key);
    io::write_safetensors(dir / "old" / "train_state.safetensors", state);
    expect_error(tiny(dir / "old", "--resume --epochs 2 --optimizer sgd"), "holds the state of adam, not of sgd");
    auto resumed = run(tiny(dir / "old", "--resume --epochs 2"));
    INFO(resumed.out);
    CHECK(resumed.code == 0);
    CHECK_THAT(resumed.out, Contains("Epoch [2/2]"));
}

TEST_CASE("infer and eval refuse missing and corrupt files, and write nothing then", "[cli][infer]") {
    test::ScratchDir dir;
    model::ModelConfig config{.model = "unet", .num_filters = 4};
    train::save_checkpoint(dir / "good.safetensors",
                           {config, data::default_palette(), model::init_parameters(model::build_preset(config), 0), 1});
    HostTensor img = data::synthetic_scenes(1, 0);
    io::save_png(dir / "scene.png", img);
    test::write_text(dir / "corrupt.safetensors", "this is not a checkpoint at all, just text....");
    test::write_text(dir / "corrupt.png", "not a png");
    const std::string good = (dir / "good.safetensors").string(), out = (dir / "out").string();

    expect_error("infer --backend cpu --checkpoint " + (dir / "missing.safetensors").string() + " --out " + out + " " +
                     (dir / "scene.png").string(),
                 "missing.safetensors");
    expect_error("infer --backend cpu --checkpoint " + (dir / "corrupt.safetensors").string() + " --out " + out + " " +
                     (dir / "scene.png").string(),
                 "corrupt.safetensors");
    expect_error("infer --backend cpu --checkpoint " + good + " --out " + out + " " + (dir / "nope.png").string(), "nope.png");
    expect_error("infer --backend cpu --checkpoint " + good + " --out " + out + " " + (dir / "corrupt.png").string(),
                 "corrupt.png");
    CHECK(!std::filesystem::exists(dir / "out" / "corrupt.png"));
    expect_error("eval --backend cpu --checkpoint " + (dir / "corrupt.safetensors").string() + " --data synthetic",
                 "corrupt.safetensors");
    expect_error("eval --backend cpu --checkpoint " + good + " --data synthetic --batch 0", "--batch must be at least 1");

    // A checkpoint whose tensors do not fit its model is refused.
    io::SafeTensors raw = io::read_safetensors(dir / "good.safetensors");
    raw.metadata["num_filters"] = "8";
    io::write_safetensors(dir / "mismatch.safetensors", raw);
    expect_error("infer --backend cpu --checkpoint " + (dir / "mismatch.safetensors").string() + " --out " + out + " " +
                     (dir / "scene.png").string(),
                 "wrong shape for model unet");

    // And the good path: a PNG of the input's size.
    auto r = run("infer --backend cpu --checkpoint " + good + " --out " + out + " " + (dir / "scene.png").string());
    INFO(r.out);
    CHECK(r.code == 0);
    CHECK(io::load_image(dir / "out" / "scene.png").shape == Shape{1, 3, 32, 32});
    auto e = run("eval --backend cpu --checkpoint " + good + " --data synthetic --val-images 16 --json");
    CHECK(e.code == 0);
    CHECK_THAT(e.out, Contains("\"psnr_db\""));
    // Beside the network's own picture, the quality of what infer writes (the image's luminance
    // with the predicted colour): a different picture, so other numbers.
    const auto j = nlohmann::json::parse(e.out);
    REQUIRE(j.contains("photo_output"));
    const double photo = j["photo_output"]["psnr_db"].get<double>(), network = j["psnr_db"].get<double>();
    CHECK(std::isfinite(photo));
    CHECK(photo != network);
    CHECK(j["photo_output"]["ssim"].get<double>() > 0);
}

TEST_CASE("train reports validation PSNR and SSIM per epoch, and resumes runs from before it did", "[cli][train][metrics]") {
    test::ScratchDir dir;
    auto ok = run(tiny(dir / "run"));
    INFO(ok.out);
    REQUIRE(ok.code == 0);
    // The assignment's line, the image quality after the accuracy, the time last.
    CHECK_THAT(ok.out, Contains("Epoch [1/1], Loss: ") && Contains("%, PSNR: ") && Contains(" dB, SSIM: ") &&
                           Contains(", Time (s): "));
    auto read_lines = [](const std::filesystem::path& p) {
        std::vector<nlohmann::json> out;
        auto bytes = test::read_bytes(p);
        std::istringstream in(std::string(bytes.begin(), bytes.end()));
        for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
        return out;
    };
    auto first = read_lines(dir / "run" / "metrics.jsonl");
    REQUIRE(first.size() == 1);
    CHECK(std::isfinite(first[0].at("val_psnr_db").get<double>()));
    CHECK(first[0].at("val_ssim").get<double>() > -1.0);
    CHECK(first[0].at("val_ssim").get<double>() <= 1.0);

    // A run from before these metrics existed: its metrics.jsonl lacks them, and resuming keeps it so.
    std::string old;
    for (auto j : first) {
        j.erase("val_psnr_db");
        j.erase("val_ssim");
        old += j.dump() + "\n";
    }
    test::write_text(dir / "run" / "metrics.jsonl", old);
    auto resumed = run(tiny(dir / "run", "--resume --epochs 2"));
    INFO(resumed.out);
    REQUIRE(resumed.code == 0);
    auto both = read_lines(dir / "run" / "metrics.jsonl");
    REQUIRE(both.size() == 2);
    CHECK(!both[0].contains("val_psnr_db"));
    CHECK(both[1].contains("val_psnr_db"));
    CHECK(both[1].contains("val_ssim"));

    // Regression has no accuracy: the quality follows the validation loss.
    auto reg = run("train --backend cpu --model regression --num-filters 4 --data synthetic --synthetic-train 16 "
                   "--synthetic-validation 8 --batch 8 --epochs 1 --out " + (dir / "reg").string());
    INFO(reg.out);
    CHECK(reg.code == 0);
    CHECK_THAT(reg.out, Contains(", PSNR: ") && !Contains("Val Acc"));

    // eval measures the same way; --json carries both.
    const std::string eval = "eval --backend cpu --checkpoint " + (dir / "run" / "checkpoint.safetensors").string() +
                             " --data synthetic --val-images 16";
    auto e = run(eval + " --json");
    INFO(e.out);
    REQUIRE(e.code == 0);
    auto j = nlohmann::json::parse(e.out);
    CHECK(std::isfinite(j.at("psnr_db").get<double>()));
    CHECK(j.at("ssim").get<double>() > -1.0);
    CHECK(j.at("ssim").get<double>() <= 1.0);
    auto text = run(eval);
    CHECK_THAT(text.out, Contains("SSIM:            "));
}

TEST_CASE("infer never writes over an input or an existing file unless --overwrite, and names outputs before writing",
          "[cli][infer]") {
    test::ScratchDir dir;
    namespace fs = std::filesystem;
    model::ModelConfig config{.model = "unet", .num_filters = 4};
    const std::string ckpt = (dir / "good.safetensors").string();
    train::save_checkpoint(ckpt, {config, data::default_palette(), model::init_parameters(model::build_preset(config), 0), 1});
    fs::create_directories(dir / "d");
    io::save_png(dir / "d" / "photo.png", data::synthetic_scenes(1, 1));
    io::save_png(dir / "d" / "other.png", data::synthetic_scenes(1, 2));
    // photo.jpg: any decodable file named so (the decoder reads the content, not the name).
    fs::copy_file(dir / "d" / "other.png", dir / "d" / "photo.jpg");
    const auto photo = test::read_bytes(dir / "d" / "photo.png"), other = test::read_bytes(dir / "d" / "other.png");
    const std::string d = (dir / "d").string();

    // Output into the input folder: photo.jpg and photo.png both want photo.png, which is an input.
    auto r = run("infer --backend cpu --checkpoint " + ckpt + " --out " + d + " " + d);
    INFO(r.out);
    REQUIRE(r.code == 0);
    CHECK(test::read_bytes(dir / "d" / "photo.png") == photo);
    CHECK(test::read_bytes(dir / "d" / "other.png") == other);
    CHECK_THAT(r.out, Contains("other.png -> " + (dir / "d" / "other-2.png").string()));
    CHECK_THAT(r.out, Contains("photo.jpg -> " + (dir / "d" / "photo-2.png").string()));
    CHECK_THAT(r.out, Contains("photo.png -> " + (dir / "d" / "photo-3.png").string()));
    // photo.jpg and photo.png hold different pictures: their outputs differ (each input was read
    // before any output was written, and none was read back).
    CHECK(test::read_bytes(dir / "d" / "photo-2.png") != test::read_bytes(dir / "d" / "photo-3.png"));

    // A single file into its own folder, by another spelling of the path: still not replaced.
    auto same = run("infer --backend cpu --checkpoint " + ckpt + " --out " + d + "/. " + d + "/./photo.png --overwrite");
    INFO(same.out);
    REQUIRE(same.code == 0);
    CHECK(test::read_bytes(dir / "d" / "photo.png") == photo);

    // Existing outputs elsewhere are kept unless --overwrite.
    const std::string out = (dir / "out").string();
    REQUIRE(run("infer --backend cpu --checkpoint " + ckpt + " --out " + out + " " + d + "/photo.png").code == 0);
    test::write_text(dir / "out" / "photo.png", "mine");
    auto again = run("infer --backend cpu --checkpoint " + ckpt + " --out " + out + " " + d + "/photo.png");
    CHECK(again.code == 0);
    CHECK(test::read_bytes(dir / "out" / "photo.png") == std::vector<uint8_t>{'m', 'i', 'n', 'e'});
    CHECK(fs::exists(dir / "out" / "photo-2.png"));
    auto replaced = run("infer --backend cpu --checkpoint " + ckpt + " --out " + out + " " + d + "/photo.png --overwrite");
    CHECK(replaced.code == 0);
    CHECK(io::load_image(dir / "out" / "photo.png").shape == Shape{1, 3, 32, 32});
}

TEST_CASE("infer without --checkpoint colours with the built-in model, the very file in assets/", "[cli][infer]") {
    test::ScratchDir dir;
    io::save_png(dir / "scene.png", data::synthetic_scenes(1, 3));
    const std::string in = (dir / "scene.png").string();
    auto builtin = run("infer --backend cpu --out " + (dir / "a").string() + " " + in);
    INFO(builtin.out);
    REQUIRE(builtin.code == 0);
    CHECK_THAT(builtin.out, Contains(std::string("built-in ") + train::k_builtin_model_file));
    const auto file = std::filesystem::path(VKCOLOR_SOURCE_DIR) / "assets" / train::k_builtin_model_file;
    auto named = run("infer --backend cpu --checkpoint " + file.string() + " --out " + (dir / "b").string() + " " + in);
    REQUIRE(named.code == 0);
    CHECK(test::read_bytes(dir / "a" / "scene.png") == test::read_bytes(dir / "b" / "scene.png"));
    // The embedded bytes decode to the file's model, tensor for tensor.
    const auto a = train::builtin_checkpoint(), b = train::load_checkpoint(file);
    CHECK(a.config.model == b.config.model);
    CHECK(a.epochs_trained == b.epochs_trained);
    CHECK(a.state.tensors.size() == b.state.tensors.size());
    for (const auto& [name, t] : b.state.tensors) CHECK(a.state.at(name).data == t.data);
}

TEST_CASE("checkpoint metadata past its limits, or unused metadata that disagrees, is refused with the file named",
          "[cli][infer]") {
    test::ScratchDir dir;
    model::ModelConfig config{.model = "unet", .num_filters = 4};
    const auto good = dir / "good.safetensors";
    train::save_checkpoint(good, {config, data::default_palette(), model::init_parameters(model::build_preset(config), 0), 1});
    struct Case {
        std::string key, value, message;
    };
    for (const Case& c : {Case{"latent", "4294967295", "--latent 4294967295 is above the limit"},
                          Case{"encoder", "8,4294967295", "--encoder channel count 4294967295 is above the limit"},
                          Case{"num_filters", "100000", "--num-filters 100000 is above the limit"},
                          Case{"dilation", "4294967295", "--dilation 4294967295 is above the limit"},
                          Case{"in_channels", "3", "metadata 'in_channels' is 3 but model unet with task colour takes 1"}}) {
        INFO(c.key << " = " << c.value);
        io::SafeTensors f = io::read_safetensors(good);
        f.metadata[c.key] = c.value;
        const auto bad = dir / ("bad_" + c.key + ".safetensors");
        io::write_safetensors(bad, f);
        CHECK_THROWS_WITH(train::load_checkpoint(bad), Contains(bad.string() + ": ") && Contains(c.message));
        expect_error("infer --backend cpu --checkpoint " + bad.string() + " --out " + (dir / "out").string() + " " +
                         bad.string(),
                     c.message);
    }
    CHECK_FALSE(std::filesystem::exists(dir / "out"));
}

TEST_CASE("eval needs only a CIFAR-10 folder's test batch, train still needs the training batches", "[cli][train]") {
    test::ScratchDir dir;
    model::ModelConfig config{.model = "cnn", .num_filters = 4};
    const auto ckpt = (dir / "c.safetensors").string();
    train::save_checkpoint(ckpt, {config, data::default_palette(), model::init_parameters(model::build_preset(config), 0), 1});
    std::filesystem::create_directory(dir / "cifar");
    // Three records of class 7 (horse), each a flat colour.
    std::vector<uint8_t> records;
    for (uint8_t k = 0; k < 3; ++k) {
        records.push_back(7);
        records.insert(records.end(), 3072, uint8_t(40 + 60 * k));
    }
    test::write_bytes(dir / "cifar" / "test_batch.bin", records);
    auto e = run("eval --backend cpu --checkpoint " + ckpt + " --data " + (dir / "cifar").string() + " --json");
    INFO(e.out);
    REQUIRE(e.code == 0);
    CHECK(nlohmann::json::parse(e.out)["images"].get<int>() == 3);
    expect_error("train --backend cpu --data " + (dir / "cifar").string() + " --out " + (dir / "run").string(),
                 "no CIFAR-10 training batches");
}

TEST_CASE("a synthetic set of 0 images is refused, naming its flag", "[cli][train]") {
    test::ScratchDir dir;
    expect_error(tiny(dir / "a", "--synthetic-train 0"), "--synthetic-train must be at least 1");
    expect_error(tiny(dir / "b", "--synthetic-validation 0"), "--synthetic-validation must be at least 1");
}

TEST_CASE("a device or an oversized file given as an input is refused, not read into memory", "[cli][infer]") {
    test::ScratchDir dir;
    const std::string out = (dir / "out").string();
    expect_error("infer --backend cpu --checkpoint /dev/zero --out " + out + " " + (dir / "x.png").string(),
                 "/dev/zero: larger than 1024 MiB");
    model::ModelConfig config{.model = "unet", .num_filters = 4};
    train::save_checkpoint(dir / "good.safetensors",
                           {config, data::default_palette(), model::init_parameters(model::build_preset(config), 0), 1});
    expect_error("infer --backend cpu --checkpoint " + (dir / "good.safetensors").string() + " --out " + out + " /dev/zero",
                 "/dev/zero: larger than 512 MiB");
    CHECK(!std::filesystem::exists(dir / "out"));
}

TEST_CASE("a resumed state that makes parameters NaN stops with an error and saves nothing", "[cli][train]") {
    test::ScratchDir dir;
    REQUIRE(run(tiny(dir / "run")).code == 0);
    auto before = test::read_bytes(dir / "run" / "checkpoint.safetensors");
    // A second moment below zero: Adam's sqrt(v) is NaN for those weights, whatever the loss says.
    auto state = io::read_safetensors(dir / "run" / "train_state.safetensors");
    size_t changed = 0;
    for (auto& [name, t] : state.tensors)
        if (name.rfind("exp_avg_sq.", 0) == 0) {
            t = io::f32_tensor(t.shape, std::vector<float>(t.f32().size(), -1.0f));
            ++changed;
        }
    REQUIRE(changed > 0);
    io::write_safetensors(dir / "run" / "train_state.safetensors", state);
    expect_error(tiny(dir / "run", "--resume --epochs 2"), "training diverged at epoch 2", false);
    CHECK(test::read_bytes(dir / "run" / "checkpoint.safetensors") == before);
}
