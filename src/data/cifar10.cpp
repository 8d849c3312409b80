#include "vkcolor/data/cifar10.hpp"

#include <algorithm>
#include <cctype>

#include "vkcolor/gpu/error.hpp"
#include "vkcolor/io/file.hpp"

namespace vkcolor::data {

namespace fs = std::filesystem;

const std::array<std::string_view, 10>& cifar10_class_names() {
    static const std::array<std::string_view, 10> names = {
        "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"};
    return names;
}

Cifar10Category parse_cifar10_category(std::string_view text) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower == "all") return std::nullopt;
    if (lower.size() == 1 && lower[0] >= '0' && lower[0] <= '9') return uint8_t(lower[0] - '0');
    const auto& names = cifar10_class_names();
    for (size_t i = 0; i < names.size(); ++i)
        if (lower == names[i]) return uint8_t(i);
    std::string valid;
    for (auto n : names) valid += std::string(n) + ", ";
    throw Error("unknown CIFAR-10 category '" + std::string(text) + "': use one of " + valid +
                "a class index 0-9, or all");
}

Cifar10Records read_cifar10_file(const fs::path& path) {
    std::vector<uint8_t> bytes = io::read_file(path, 256ull << 20);   // a batch file is 30 MB
    if (bytes.empty() || bytes.size() % cifar10_record_bytes != 0)
        throw Error(path.string() + ": not a CIFAR-10 binary file: its size (" + std::to_string(bytes.size()) +
                    " bytes) is not a positive multiple of the 3073-byte record");
    const size_t n = bytes.size() / cifar10_record_bytes;
    Cifar10Records r;
    r.labels.resize(n);
    r.pixels.resize(n * cifar10_image_bytes);
    for (size_t i = 0; i < n; ++i) {
        const uint8_t* record = bytes.data() + i * cifar10_record_bytes;
        if (record[0] > 9)
            throw Error(path.string() + ": not a CIFAR-10 binary file: record " + std::to_string(i) +
                        " has label " + std::to_string(record[0]) + " (labels are 0-9)");
        r.labels[i] = record[0];
        std::copy(record + 1, record + cifar10_record_bytes, r.pixels.begin() + i * cifar10_image_bytes);
    }
    return r;
}

namespace {

void append_category(Cifar10Records& out, const Cifar10Records& in, Cifar10Category category) {
    for (size_t i = 0; i < in.size(); ++i) {
        if (category && in.labels[i] != *category) continue;
        out.labels.push_back(in.labels[i]);
        auto begin = in.pixels.begin() + i * cifar10_image_bytes;
        out.pixels.insert(out.pixels.end(), begin, begin + cifar10_image_bytes);
    }
}

std::vector<fs::path> split_files(const fs::path& dir, Cifar10Split split) {
    std::vector<fs::path> files;
    if (split == Cifar10Split::test) {
        files.push_back(dir / "test_batch.bin");   // read_file names it if it is missing
        return files;
    }
    for (int b = 1; b <= 5; ++b) {
        fs::path f = dir / ("data_batch_" + std::to_string(b) + ".bin");
        std::error_code ec;
        if (fs::exists(f, ec)) files.push_back(f);
    }
    if (files.empty())
        throw Error(dir.string() + ": no CIFAR-10 training batches (data_batch_1.bin .. data_batch_5.bin)");
    return files;
}

} // namespace

Cifar10Records load_cifar10(const fs::path& dir_or_file, Cifar10Category category, Cifar10Split split) {
    std::error_code ec;
    if (!fs::exists(dir_or_file, ec))
        throw Error(dir_or_file.string() + ": no such file or directory (expected CIFAR-10 binary batches)");
    std::vector<fs::path> files;
    if (fs::is_directory(dir_or_file, ec))
        files = split_files(dir_or_file, split);
    else
        files.push_back(dir_or_file);
    Cifar10Records out;
    for (const auto& f : files) append_category(out, read_cifar10_file(f), category);
    return out;
}

HostTensor cifar10_images(const Cifar10Records& records) {
    HostTensor t(Shape{uint32_t(records.size()), 3, cifar10_side, cifar10_side});
    // The record layout (planar RGB, row-major) is already NCHW.
    std::transform(records.pixels.begin(), records.pixels.end(), t.data.begin(),
                   [](uint8_t p) { return float(p) / 256.0f; });
    return t;
}

} // namespace vkcolor::data
