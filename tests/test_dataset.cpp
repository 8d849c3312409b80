// Preprocessing (grey, colour classes, quantisation), the portable shuffle, and batching.
#include <catch2/catch.hpp>

#include <numeric>
#include <set>

#include "data_helpers.hpp"
#include "vkcolor/data/cifar10.hpp"
#include "vkcolor/data/dataset.hpp"
#include "vkcolor/data/random.hpp"

using namespace vkcolor;
using namespace vkcolor::data;

namespace {

// N images of 3 x 2 x 2 whose every value encodes (image, channel, pixel).
HostTensor numbered_images(uint32_t n) {
    HostTensor t(Shape{n, 3, 2, 2});
    for (size_t i = 0; i < t.data.size(); ++i) t.data[i] = float(i % 256) / 256.0f;
    return t;
}

} // namespace

TEST_CASE("uniform_index and Fisher-Yates are fixed sequences, independent of the standard library", "[dataset]") {
    // std::mt19937's output is fixed by the standard (its 10000th value from the default seed is
    // 4123659995), so these expectations hold on every platform. They pin down our own algorithm:
    // changing the rejection rule or the swap order changes them.
    std::mt19937 check;
    check.discard(9999);
    REQUIRE(check() == 4123659995u);

    std::mt19937 rng(0);
    std::vector<uint32_t> draws;
    for (int i = 0; i < 8; ++i) draws.push_back(uniform_index(rng, 10));
    // mt19937(0) begins 2357136044, 2546248239, 3071714933, 3626093760, ...: each mod 10 (none is
    // rejected: the rejection threshold is 4294967290).
    CHECK(draws == std::vector<uint32_t>{4, 9, 3, 0, 3, 9, 7, 3});

    // Cross-checked with an independent Python implementation over numpy.random.RandomState(0),
    // which is the same MT19937 seeded the same way.
    CHECK(shuffled_order(10, 0) == std::vector<uint32_t>{8, 6, 7, 3, 9, 1, 2, 5, 0, 4});
    CHECK(shuffled_order(10, 0) == shuffled_order(10, 0));
    CHECK(shuffled_order(10, 1) != shuffled_order(10, 0));
    auto big = shuffled_order(1000, 42);
    CHECK(std::set<uint32_t>(big.begin(), big.end()).size() == 1000);   // a permutation
    CHECK(shuffled_order(0, 0).empty());
    CHECK(shuffled_order(1, 0) == std::vector<uint32_t>{0});
}

TEST_CASE("uniform_index is unbiased enough and stays in range", "[dataset]") {
    std::mt19937 rng(7);
    std::vector<int> counts(3, 0);
    for (int i = 0; i < 30000; ++i) counts[uniform_index(rng, 3)]++;
    for (int c : counts) CHECK(std::abs(c - 10000) < 400);
    for (int i = 0; i < 1000; ++i) CHECK(uniform_index(rng, 1) == 0);
    double u = 0;
    for (int i = 0; i < 1000; ++i) {
        u = uniform_unit(rng);
        REQUIRE(u >= 0.0);
        REQUIRE(u < 1.0);
    }
}

TEST_CASE("grey images: mean of R, G, B or luma", "[dataset]") {
    HostTensor rgb(Shape{1, 3, 1, 2});
    rgb.data = {0.3f, 0.0f, /*G*/ 0.6f, 0.0f, /*B*/ 0.9f, 1.0f};
    HostTensor mean = to_grey(rgb);
    REQUIRE(mean.shape == Shape{1, 1, 1, 2});
    CHECK(mean.data[0] == Approx(0.6f));
    CHECK(mean.data[1] == Approx(1.0f / 3));
    HostTensor luma = to_grey(rgb, GreyMode::luma);
    CHECK(luma.data[0] == Approx(0.21f * 0.3f + 0.72f * 0.6f + 0.07f * 0.9f));
    CHECK(luma.data[1] == Approx(0.07f));
    REQUIRE_ERROR_CONTAINS(to_grey(HostTensor(Shape{1, 1, 2, 2})), "3 channel");
}

TEST_CASE("colour classes pick the nearest palette colour and quantise back", "[dataset]") {
    Palette p{{{0, 0, 0}, {1, 0, 0}, {0, 0, 1}}};
    HostTensor rgb(Shape{2, 3, 1, 2});
    // image 0: (0.9, 0, 0.1) -> red, (0.5, 0, 0) -> tie black/red -> black (0)
    // image 1: (0, 0, 0.7) -> blue, (0.1, 0.1, 0.1) -> black
    rgb.data = {0.9f, 0.5f, 0, 0, 0.1f, 0, /*image 1*/ 0, 0.1f, 0, 0.1f, 0.7f, 0.1f};
    HostTensor classes = colour_classes(rgb, p);
    REQUIRE(classes.shape == Shape{2, 1, 1, 2});
    CHECK(classes.data == std::vector<float>{1, 0, 2, 0});
    HostTensor q = quantised_rgb(classes, p);
    REQUIRE(q.shape == rgb.shape);
    CHECK(q.data == std::vector<float>{1, 0, 0, 0, 0, 0, /*image 1*/ 0, 0, 0, 0, 1, 0});

    HostTensor bad(Shape{1, 1, 1, 1}, 3.0f);
    REQUIRE_ERROR_CONTAINS(quantised_rgb(bad, p), "colour class 3");
    bad.data[0] = 0.5f;
    REQUIRE_ERROR_CONTAINS(quantised_rgb(bad, p), "colour class");
}

TEST_CASE("batches are contiguous slices of the shuffled order, the last may be smaller", "[dataset]") {
    HostTensor images = numbered_images(7);
    Dataset d(images, default_palette());
    REQUIRE(d.size() == 7);
    std::mt19937 rng(3);
    d.shuffle(rng);
    const auto& order = d.order();
    CHECK(std::set<uint32_t>(order.begin(), order.end()).size() == 7);
    CHECK(order != std::vector<uint32_t>{0, 1, 2, 3, 4, 5, 6});

    REQUIRE(d.batch_count(3) == 3);
    CHECK(d.batch_count(7) == 1);
    CHECK(d.batch_count(100) == 1);
    // The largest batch a flag accepts is one batch of everything (it once wrapped to 0 batches).
    CHECK(d.batch_count(4294967295u) == 1);
    CHECK(d.batch(0, 4294967295u).rgb.shape.n == 7);
    std::vector<uint32_t> seen;
    for (uint32_t b = 0; b < 3; ++b) {
        Batch batch = d.batch(b, 3);
        const uint32_t n = b < 2 ? 3 : 1;
        REQUIRE(batch.rgb.shape == Shape{n, 3, 2, 2});
        REQUIRE(batch.input.shape == Shape{n, 1, 2, 2});
        REQUIRE(batch.target.shape == Shape{n, 1, 2, 2});
        for (uint32_t i = 0; i < n; ++i) {
            const uint32_t src = order[b * 3 + i];
            seen.push_back(src);
            for (uint32_t c = 0; c < 3; ++c) CHECK(batch.rgb.at(i, c, 1, 0) == images.at(src, c, 1, 0));
            CHECK(batch.input.at(i, 0, 0, 1) == d.input().at(src, 0, 0, 1));
            CHECK(batch.target.at(i, 0, 1, 1) == d.target().at(src, 0, 1, 1));
        }
    }
    CHECK(seen == order);
    REQUIRE_ERROR_CONTAINS(d.batch(3, 3), "batch 3");
    REQUIRE_ERROR_CONTAINS(d.batch_count(0), "batch size");
    // Classes are exact integers indexing the palette.
    for (float c : d.target().data) CHECK((c == float(int(c)) && c >= 0 && c < 24));
}

TEST_CASE("train and validation sets are shuffled from one generator seeded with 0 by default", "[dataset]") {
    TrainValidation tv = make_train_validation(numbered_images(10), numbered_images(6), default_palette());
    CHECK(tv.train.order() == shuffled_order(10, 0));
    // The validation set continues the same generator, as the assignment's numpy calls do.
    std::mt19937 rng(0);
    std::vector<uint32_t> train(10), validation(6);
    std::iota(train.begin(), train.end(), 0u);
    std::iota(validation.begin(), validation.end(), 0u);
    fisher_yates(train, rng);
    fisher_yates(validation, rng);
    CHECK(tv.validation.order() == validation);

    DatasetOptions o;
    o.seed = 5;
    CHECK(make_train_validation(numbered_images(10), numbered_images(6), default_palette(), o).train.order() ==
          shuffled_order(10, 5));
    o.shuffle = false;
    auto unshuffled = make_train_validation(numbered_images(10), numbered_images(6), default_palette(), o);
    CHECK(unshuffled.train.order() == std::vector<uint32_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    o.task.grey = GreyMode::luma;
    auto luma = make_train_validation(numbered_images(2), numbered_images(1), default_palette(), o);
    CHECK(luma.train.input().data == to_grey(numbered_images(2), GreyMode::luma).data);
}

TEST_CASE("the horse set as the assignment prepares it", "[dataset][horse]") {
    auto dir = test::horse_data_dir();
    auto train = cifar10_images(load_cifar10(dir, 7, Cifar10Split::train));
    auto validation = cifar10_images(load_cifar10(dir, 7, Cifar10Split::test));
    TrainValidation tv = make_train_validation(std::move(train), std::move(validation), default_palette());
    CHECK(tv.train.size() == 5000);
    CHECK(tv.validation.size() == 1000);
    CHECK(tv.train.batch_count(100) == 50);
    // The palette is k-means of these very pixels: every one of its 24 colours is used.
    std::set<float> used(tv.train.target().data.begin(), tv.train.target().data.end());
    CHECK(used.size() == 24);
}
