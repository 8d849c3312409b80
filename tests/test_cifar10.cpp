// CIFAR-10 binary batches: the record layout, bad files, categories, and the real horse subset.
#include <catch2/catch.hpp>

#include <chrono>

#include "data_helpers.hpp"
#include "vkcolor/data/cifar10.hpp"

using namespace vkcolor;
using namespace vkcolor::data;
using vkcolor::test::ScratchDir;
using vkcolor::test::write_bytes;

namespace {

// A record whose pixel p of channel c is (seed + 7c + p) mod 256.
std::vector<uint8_t> record(uint8_t label, uint8_t seed) {
    std::vector<uint8_t> r(cifar10_record_bytes);
    r[0] = label;
    for (size_t c = 0; c < 3; ++c)
        for (size_t p = 0; p < 1024; ++p) r[1 + c * 1024 + p] = uint8_t(seed + 7 * c + p);
    return r;
}

std::vector<uint8_t> records(const std::vector<std::pair<uint8_t, uint8_t>>& label_seed) {
    std::vector<uint8_t> out;
    for (auto [label, seed] : label_seed) {
        auto r = record(label, seed);
        out.insert(out.end(), r.begin(), r.end());
    }
    return out;
}

} // namespace

TEST_CASE("CIFAR-10 records decode to NCHW pixel/256 images", "[cifar10]") {
    ScratchDir dir;
    write_bytes(dir / "one.bin", records({{3, 10}, {7, 200}, {3, 0}}));
    Cifar10Records r = read_cifar10_file(dir / "one.bin");
    REQUIRE(r.size() == 3);
    CHECK(r.labels == std::vector<uint8_t>{3, 7, 3});
    HostTensor images = cifar10_images(r);
    REQUIRE(images.shape == Shape{3, 3, 32, 32});
    // Image 1, green channel, row 2, column 5: byte (200 + 7 + 2*32 + 5) mod 256 = 20.
    CHECK(images.at(1, 1, 2, 5) == 20.0f / 256.0f);
    CHECK(images.at(0, 0, 0, 0) == 10.0f / 256.0f);
    CHECK(images.at(2, 2, 31, 31) == float(uint8_t(0 + 14 + 1023)) / 256.0f);
    // 255 maps below 1, as the assignment's /256 does.
    CHECK(*std::max_element(images.data.begin(), images.data.end()) == 255.0f / 256.0f);
}

TEST_CASE("CIFAR-10 categories: names, indices, all", "[cifar10]") {
    CHECK(parse_cifar10_category("horse") == Cifar10Category(7));
    CHECK(parse_cifar10_category("Horse") == Cifar10Category(7));
    CHECK(parse_cifar10_category("7") == Cifar10Category(7));
    CHECK(parse_cifar10_category("airplane") == Cifar10Category(0));
    CHECK(parse_cifar10_category("truck") == Cifar10Category(9));
    CHECK(parse_cifar10_category("all") == std::nullopt);
    REQUIRE_ERROR_CONTAINS(parse_cifar10_category("zebra"), "zebra", "horse", "all");
    REQUIRE_ERROR_CONTAINS(parse_cifar10_category("10"), "'10'");
    REQUIRE_ERROR_CONTAINS(parse_cifar10_category(""), "category");
}

TEST_CASE("CIFAR-10 loader: directory layout, splits, category filter, order kept", "[cifar10]") {
    ScratchDir dir;
    write_bytes(dir / "data_batch_1.bin", records({{7, 1}, {2, 2}, {7, 3}}));
    write_bytes(dir / "data_batch_3.bin", records({{7, 4}}));   // gaps in the numbering are fine
    write_bytes(dir / "test_batch.bin", records({{1, 5}, {7, 6}}));
    write_bytes(dir / "data_batch_9.bin", records({{7, 99}}));  // not one of the official five: ignored

    auto train = load_cifar10(dir.path, 7, Cifar10Split::train);
    REQUIRE(train.size() == 3);
    HostTensor t = cifar10_images(train);
    CHECK(t.at(0, 0, 0, 0) == 1.0f / 256);
    CHECK(t.at(1, 0, 0, 0) == 3.0f / 256);
    CHECK(t.at(2, 0, 0, 0) == 4.0f / 256);

    CHECK(load_cifar10(dir.path, std::nullopt, Cifar10Split::train).size() == 4);
    CHECK(load_cifar10(dir.path, 2, Cifar10Split::train).size() == 1);
    CHECK(load_cifar10(dir.path, 5, Cifar10Split::train).size() == 0);
    CHECK(load_cifar10(dir.path, 7, Cifar10Split::test).size() == 1);
    // A single file: the split does not matter.
    CHECK(load_cifar10(dir / "test_batch.bin", std::nullopt, Cifar10Split::train).size() == 2);
}

TEST_CASE("CIFAR-10 bad input gives one clear error naming the file", "[cifar10]") {
    ScratchDir dir;
    SECTION("size not a multiple of 3073") {
        auto bytes = records({{7, 1}, {7, 2}});
        bytes.pop_back();
        write_bytes(dir / "short.bin", bytes);
        REQUIRE_ERROR_CONTAINS(read_cifar10_file(dir / "short.bin"), "short.bin", "6145 bytes", "3073");
    }
    SECTION("empty file") {
        write_bytes(dir / "empty.bin", {});
        REQUIRE_ERROR_CONTAINS(read_cifar10_file(dir / "empty.bin"), "empty.bin", "0 bytes");
    }
    SECTION("label above 9") {
        write_bytes(dir / "label.bin", records({{7, 1}, {10, 2}}));
        REQUIRE_ERROR_CONTAINS(read_cifar10_file(dir / "label.bin"), "label.bin", "record 1", "label 10");
    }
    SECTION("missing file") {
        REQUIRE_ERROR_CONTAINS(read_cifar10_file(dir / "nope.bin"), "nope.bin", "cannot open");
        REQUIRE_ERROR_CONTAINS(load_cifar10(dir / "nope", 7, Cifar10Split::train), "nope", "no such");
    }
    SECTION("a directory without batches") {
        REQUIRE_ERROR_CONTAINS(load_cifar10(dir.path, 7, Cifar10Split::train), dir.path.string(), "data_batch_1.bin");
        REQUIRE_ERROR_CONTAINS(load_cifar10(dir.path, 7, Cifar10Split::test), "test_batch.bin", "cannot open");
    }
    SECTION("unreadable file") {
        write_bytes(dir / "locked.bin", records({{7, 1}}));
        std::filesystem::permissions(dir / "locked.bin", std::filesystem::perms::none);
        if (test::read_bytes(dir / "locked.bin").size() > 0) return;   // running as root: permissions do not apply
        REQUIRE_ERROR_CONTAINS(read_cifar10_file(dir / "locked.bin"), "locked.bin", "Permission denied");
    }
}

TEST_CASE("the real CIFAR-10 horse subset loads 5000 + 1000 records of label 7", "[cifar10][horse]") {
    auto dir = test::horse_data_dir();
    auto start = std::chrono::steady_clock::now();
    auto train = load_cifar10(dir, parse_cifar10_category("horse"), Cifar10Split::train);
    auto test = load_cifar10(dir, parse_cifar10_category("horse"), Cifar10Split::test);
    HostTensor images = cifar10_images(train);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    WARN("loading the horse set (6000 records) and converting 5000 to floats took " << ms << " ms");
    CHECK(train.size() == 5000);
    CHECK(test.size() == 1000);
    CHECK(std::all_of(train.labels.begin(), train.labels.end(), [](uint8_t l) { return l == 7; }));
    CHECK(std::all_of(test.labels.begin(), test.labels.end(), [](uint8_t l) { return l == 7; }));
    CHECK(load_cifar10(dir, 3, Cifar10Split::train).size() == 0);   // no cats in the horse subset
    // Real photographs: mean brightness well inside (0, 1).
    double mean = 0;
    for (float v : images.data) mean += v;
    mean /= double(images.data.size());
    CHECK(mean > 0.2);
    CHECK(mean < 0.8);
}
