// safetensors checkpoints: exact bytes per the format, round trips, and validation of bad files.
#include <catch2/catch.hpp>

#include <cstring>
#include <limits>

#include "data_helpers.hpp"
#include "vkcolor/io/safetensors.hpp"

using namespace vkcolor;
using namespace vkcolor::io;
using vkcolor::test::ScratchDir;

namespace {

// A file with the given header text (padded with spaces to a multiple of 8) and data bytes.
std::vector<uint8_t> make_file(std::string header, const std::vector<uint8_t>& data) {
    header.append((8 - header.size() % 8) % 8, ' ');
    std::vector<uint8_t> out;
    out.reserve(8 + header.size() + data.size());
    for (int i = 0; i < 8; ++i) out.push_back(uint8_t(uint64_t(header.size()) >> (8 * i)));
    out.insert(out.end(), header.begin(), header.end());
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

std::string entry(const std::string& name, const std::string& dtype, const std::string& shape, uint64_t begin,
                  uint64_t end) {
    return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" +
           std::to_string(begin) + "," + std::to_string(end) + "]}";
}

// decode_safetensors must reject `bytes` with a message containing `problem` (and the source).
void require_rejected(const std::vector<uint8_t>& bytes, const std::string& problem) {
    INFO("expecting: " << problem);
    REQUIRE_ERROR_CONTAINS(decode_safetensors(bytes, "ckpt.safetensors"), "ckpt.safetensors",
                           "not a valid safetensors file", problem);
}

} // namespace

TEST_CASE("safetensors bytes follow the format exactly", "[safetensors]") {
    SafeTensors f;
    f.tensors["b"] = f32_tensor({2}, {1.0f, -2.0f});
    f.tensors["n"] = i64_tensor({}, {7});
    f.metadata["format"] = "pt";
    std::vector<uint8_t> bytes = encode_safetensors(f);

    // Written out by hand from the format description (the JSON text checked with Python's json
    // module, compact and key-sorted): I64 data first for alignment, then F32.
    const std::string header = R"({"__metadata__":{"format":"pt"},"b":{"data_offsets":[8,16],"dtype":"F32","shape":[2]},)"
                               R"("n":{"data_offsets":[0,8],"dtype":"I64","shape":[]}})";
    REQUIRE(header.size() == 138);
    std::vector<uint8_t> want;
    want.reserve(168);
    for (uint8_t b : {144, 0, 0, 0, 0, 0, 0, 0}) want.push_back(b);   // 138 + 6 spaces of padding = 144
    want.insert(want.end(), header.begin(), header.end());
    want.insert(want.end(), 6, ' ');
    for (uint8_t b : {7, 0, 0, 0, 0, 0, 0, 0}) want.push_back(b);               // int64 7
    for (uint8_t b : {0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0}) want.push_back(b);   // 1.0f, -2.0f
    CHECK(bytes == want);
    CHECK((bytes.size() - 16) % 8 == 0);
    CHECK(decode_safetensors(bytes, "x") == f);
}

TEST_CASE("safetensors round trip keeps names, true ranks, dtypes, values and metadata", "[safetensors]") {
    ScratchDir dir;
    SafeTensors f;
    std::vector<float> weight(32 * 9);
    for (size_t i = 0; i < weight.size(); ++i) weight[i] = float(i) * 0.01f - 1.0f;
    f.tensors["conv1.weight"] = f32_tensor({32, 1, 3, 3}, weight);
    f.tensors["conv1.bias"] = f32_tensor({32}, std::vector<float>(32, 0.5f));
    f.tensors["bn.num_batches_tracked"] = i64_tensor({}, {123456789012345});
    f.tensors["negatives"] = i64_tensor({2, 1}, {-1, std::numeric_limits<int64_t>::min()});
    f.tensors["extremes"] = f32_tensor({3}, {std::numeric_limits<float>::infinity(), -0.0f, 1e-45f});
    f.tensors["empty"] = f32_tensor({0, 4}, {});
    f.metadata = {{"model", "UNet"}, {"epoch", "25"}, {"note", "ünïcode \"quoted\""}};
    write_safetensors(dir / "ckpt.safetensors", f);
    SafeTensors back = read_safetensors(dir / "ckpt.safetensors");
    CHECK(back == f);
    CHECK(back.tensors.at("conv1.weight").shape == std::vector<uint64_t>{32, 1, 3, 3});
    CHECK(back.tensors.at("bn.num_batches_tracked").shape.empty());
    CHECK(back.tensors.at("bn.num_batches_tracked").dtype() == DType::I64);
    CHECK(back.tensors.at("bn.num_batches_tracked").i64() == std::vector<int64_t>{123456789012345});
    CHECK(std::signbit(back.tensors.at("extremes").f32()[1]));
    REQUIRE_ERROR_CONTAINS(back.tensors.at("conv1.bias").i64(), "expected an I64 tensor");
    CHECK(dir.names() == std::vector<std::string>{"ckpt.safetensors"});   // no temporaries left

    SafeTensors none;   // no tensors, no metadata: the header is "{}" padded to 8
    auto bytes = encode_safetensors(none);
    CHECK(bytes.size() == 16);
    CHECK(decode_safetensors(bytes, "x") == none);
}

TEST_CASE("safetensors writing checks its input and is atomic", "[safetensors]") {
    ScratchDir dir;
    SafeTensors bad;
    bad.tensors["w"] = f32_tensor({2, 3}, {1, 2, 3});
    REQUIRE_ERROR_CONTAINS(encode_safetensors(bad), "'w'", "[2, 3]", "3 values");
    SafeTensors reserved;
    reserved.tensors["__metadata__"] = f32_tensor({}, {1});
    REQUIRE_ERROR_CONTAINS(encode_safetensors(reserved), "__metadata__");

    SafeTensors good;
    good.tensors["w"] = f32_tensor({1}, {1});
    write_safetensors(dir / "keep.safetensors", good);
    auto before = test::read_bytes(dir / "keep.safetensors");
    std::filesystem::create_directories(dir / "taken.safetensors" / "x");
    REQUIRE_ERROR_CONTAINS(write_safetensors(dir / "taken.safetensors", good), "taken.safetensors");
    REQUIRE_ERROR_CONTAINS(encode_safetensors(bad), "3 values");
    CHECK(dir.names() == std::vector<std::string>{"keep.safetensors", "taken.safetensors"});
    CHECK(test::read_bytes(dir / "keep.safetensors") == before);
}

TEST_CASE("safetensors reading rejects every kind of bad file with one clear error", "[safetensors]") {
    const std::vector<uint8_t> eight(8, 0);
    const std::string ok = entry("w", "F32", "[2]", 0, 8);

    // sanity: the helper makes valid files
    CHECK(decode_safetensors(make_file("{" + ok + "}", eight), "x").tensors.at("w").f32().size() == 2);

    require_rejected({1, 2, 3}, "truncated");
    require_rejected({}, "shorter than the 8-byte header length");
    {
        auto f = make_file("{" + ok + "}", eight);
        f[0] = 0xff;   // header length 255 + ..., beyond the file
        require_rejected(f, "runs past the end");
        auto g = make_file("{" + ok + "}", eight);
        g[7] = 0x80;   // a header length near 2^63
        require_rejected(g, "runs past the end");
        auto whole = make_file("{" + ok + "}", eight);
        std::vector<uint8_t> cut(whole.begin(), whole.end() - 3);   // data truncated
        require_rejected(cut, "reach beyond the 5 data bytes");
    }
    require_rejected(make_file("{" + ok, eight), "not valid JSON");
    require_rejected(make_file("[1, 2]", {}), "not a JSON object");
    require_rejected(make_file(std::string("{\"w\":\"\xff\"}"), {}), "not valid JSON");   // invalid UTF-8
    require_rejected(make_file("{" + entry("w", "F16", "[4]", 0, 8) + "}", eight), "unsupported dtype \"F16\"");
    require_rejected(make_file(R"({"w":{"dtype":32,"shape":[2],"data_offsets":[0,8]}})", eight), "dtype is not a string");
    require_rejected(make_file("{" + entry("w", "F32", "[-2]", 0, 8) + "}", eight), "non-negative integers");
    require_rejected(make_file("{" + entry("w", "F32", "[2.0]", 0, 8) + "}", eight), "non-negative integers");
    require_rejected(make_file("{" + entry("w", "F32", "2", 0, 8) + "}", eight), "shape is not a list");
    require_rejected(make_file(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8,9]}})", eight), "pair");
    require_rejected(make_file(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,-8]}})", eight), "pair");
    require_rejected(make_file(R"({"w":{"dtype":"F32","shape":[2]}})", eight), "needs dtype, shape and data_offsets");
    require_rejected(make_file(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"x":1}})", eight), "unexpected field 'x'");
    require_rejected(make_file(R"({"w":[1]})", eight), "not a JSON object");
    require_rejected(make_file("{" + entry("w", "F32", "[2]", 8, 0) + "}", eight), "end before they begin");
    require_rejected(make_file("{" + entry("w", "F32", "[4]", 0, 16) + "}", eight), "reach beyond the 8 data bytes");
    require_rejected(make_file("{" + entry("w", "F32", "[3]", 0, 8) + "}", eight), "shape [3] of F32 needs 3 elements");
    require_rejected(make_file("{" + entry("w", "I64", "[2]", 0, 8) + "}", eight), "hold 8 bytes");
    require_rejected(make_file("{" + entry("w", "F32", "[4294967296,4294967296,4294967296]", 0, 8) + "}", eight),
                     "too many elements");
    require_rejected(make_file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 4, 12) + "}",
                               std::vector<uint8_t>(12)),
                     "'b' overlaps");
    require_rejected(make_file("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[1]", 8, 12) + "}",
                               std::vector<uint8_t>(12)),
                     "data bytes 4..8 belong to no tensor");
    require_rejected(make_file("{" + entry("a", "F32", "[1]", 4, 8) + "}", eight), "data bytes 0..4 belong to no tensor");
    require_rejected(make_file("{" + entry("a", "F32", "[1]", 0, 4) + "}", eight), "data bytes 4..8 belong to no tensor");
    require_rejected(make_file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("a", "F32", "[2]", 0, 8) + "}", eight),
                     "names 'a' twice");
    require_rejected(make_file(R"({"__metadata__":{"k":1},)" + ok + "}", eight), "value of 'k' is not a string");
    require_rejected(make_file(R"({"__metadata__":[],)" + ok + "}", eight), "__metadata__ is not a JSON object");
}

TEST_CASE("safetensors read errors name the file", "[safetensors]") {
    ScratchDir dir;
    test::write_bytes(dir / "broken.safetensors", {1, 0, 0, 0, 0, 0, 0, 0, '{'});
    REQUIRE_ERROR_CONTAINS(read_safetensors(dir / "broken.safetensors"), "broken.safetensors", "not valid JSON");
    REQUIRE_ERROR_CONTAINS(read_safetensors(dir / "missing.safetensors"), "missing.safetensors", "cannot open");
    // Zero-size tensors may share an offset with their neighbours and still tile the data.
    auto f = make_file("{" + entry("e", "F32", "[0]", 0, 0) + "," + entry("w", "F32", "[1]", 0, 4) + "," +
                           entry("z", "I64", "[0,3]", 4, 4) + "}",
                       std::vector<uint8_t>(4));
    SafeTensors ok = decode_safetensors(f, "x");
    CHECK(ok.tensors.size() == 3);
    CHECK(ok.tensors.at("z").shape == std::vector<uint64_t>{0, 3});
}
