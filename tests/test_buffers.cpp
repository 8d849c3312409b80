// Memory: sub-allocated buffers, round trips of odd sizes, alignment, limits.
#include <catch2/catch.hpp>

#include <cstring>
#include <numeric>

#include "gpu_fixture.hpp"
#include "test_helpers.hpp"
#include "vkcolor/gpu/error.hpp"
#include "vkcolor/tensor.hpp"

using namespace vkcolor;

TEST_CASE("buffers round-trip data of odd sizes", "[gpu][memory]") {
    auto& ctx = test::gpu();
    for (size_t bytes : {size_t(1), size_t(3), size_t(4), size_t(7), size_t(1000), size_t(4097),
                         size_t(65537), (size_t(1) << 20) + 3, size_t(3) << 20}) {
        INFO("bytes = " << bytes);
        std::vector<unsigned char> in(bytes), out(bytes, 0xAB);
        for (size_t i = 0; i < bytes; ++i) in[i] = static_cast<unsigned char>((i * 2654435761u) >> 13);
        for (auto kind : {gpu::MemoryKind::Device, gpu::MemoryKind::Upload, gpu::MemoryKind::Readback}) {
            auto buf = ctx.create_buffer(bytes, kind);
            CHECK(buf.size() == bytes);
            ctx.upload(buf, in.data(), bytes);
            ctx.download(buf, out.data(), bytes);
            CHECK(std::memcmp(in.data(), out.data(), bytes) == 0);
        }
    }
    test::require_no_validation_messages();
}

TEST_CASE("partial uploads and downloads honour offsets", "[gpu][memory]") {
    auto& ctx = test::gpu();
    auto buf = ctx.create_buffer(40);
    std::vector<float> zeros(10, 0.0f), part = {1.5f, 2.5f, 3.5f};
    ctx.upload(buf, zeros.data(), 40);
    ctx.upload(buf, part.data(), 12, 20);
    std::vector<float> all(10);
    ctx.download(buf, all.data(), 40);
    CHECK(all == std::vector<float>{0, 0, 0, 0, 0, 1.5f, 2.5f, 3.5f, 0, 0});
    float one = 0;
    ctx.download(buf, &one, 4, 24);
    CHECK(one == 2.5f);
    CHECK_THROWS_WITH(ctx.upload(buf, all.data(), 40, 4), Catch::Contains("overruns"));
    test::require_no_validation_messages();
}

TEST_CASE("many tensors share a few large allocations and give memory back", "[gpu][memory]") {
    auto& ctx = test::gpu();
    auto& alloc = ctx.allocator();
    auto used_before = alloc.used_bytes();
    {
        std::vector<Tensor> tensors;
        for (uint32_t i = 0; i < 200; ++i) tensors.emplace_back(ctx, Shape{1, 3, 5 + i % 7, 7});
        // 200 tensors, far fewer VkDeviceMemory objects.
        CHECK(alloc.block_count() <= 2);
        CHECK(alloc.used_bytes() > used_before);
        // Every tensor keeps its own data: no overlapping sub-allocations.
        for (size_t i = 0; i < tensors.size(); ++i)
            tensors[i].upload(ctx, std::vector<float>(tensors[i].shape().count(), float(i)));
        for (size_t i = 0; i < tensors.size(); ++i) {
            auto v = tensors[i].download(ctx);
            CHECK(std::all_of(v.begin(), v.end(), [&](float x) { return x == float(i); }));
        }
    }
    CHECK(alloc.used_bytes() == used_before);
    // A large tensor gets a dedicated allocation that is returned when it dies.
    size_t blocks = alloc.block_count();
    {
        Tensor big(ctx, Shape{4, 64, 128, 160});   // 20 MiB
        CHECK(alloc.block_count() == blocks + 1);
    }
    CHECK(alloc.block_count() == blocks);
    test::require_no_validation_messages();
}

TEST_CASE("a buffer beyond the storage-buffer limit is refused with a clear error", "[gpu][memory]") {
    auto& ctx = test::gpu();
    size_t too_big = ctx.info().max_storage_buffer_range + 1;
    CHECK_THROWS_WITH(ctx.create_buffer(too_big), Catch::Contains("exceeds this device's storage-buffer limit"));
}

TEST_CASE("tensors upload and download host tensors of matching shape", "[gpu][memory]") {
    auto& ctx = test::gpu();
    HostTensor h(Shape{2, 3, 5, 7});
    auto values = test::random_values(h.shape.count(), 11);
    h.data = values;
    Tensor t(ctx, h.shape);
    t.upload(ctx, h);
    auto back = t.download_host(ctx);
    CHECK(back.shape == h.shape);
    CHECK(back.data == values);
    CHECK(back.at(1, 2, 4, 6) == values.back());
    CHECK_THROWS_WITH(t.upload(ctx, HostTensor(Shape{1, 3, 5, 7})), Catch::Contains("shape"));
    test::require_no_validation_messages();
}
