#include "vkcolor/io/safetensors.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "vkcolor/gpu/error.hpp"
#include "vkcolor/io/file.hpp"

namespace vkcolor::io {

// Tensor data is copied with memcpy, which is the format's little-endian layout only on a
// little-endian host (every platform vkcolor targets).
static_assert(std::endian::native == std::endian::little, "safetensors I/O assumes a little-endian host");

using json = nlohmann::json;

namespace {

constexpr const char* metadata_key = "__metadata__";

size_t dtype_size(DType dtype) { return dtype == DType::F32 ? 4 : 8; }

size_t value_count(const StoredTensor& t) {
    return std::visit([](const auto& v) { return v.size(); }, t.values);
}

const void* value_bytes(const StoredTensor& t) {
    return std::visit([](const auto& v) { return static_cast<const void*>(v.data()); }, t.values);
}

std::string shape_str(const std::vector<uint64_t>& shape) {
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

} // namespace

const char* dtype_name(DType dtype) { return dtype == DType::F32 ? "F32" : "I64"; }

const std::vector<float>& StoredTensor::f32() const {
    if (dtype() != DType::F32) throw Error(std::string("expected an F32 tensor, found ") + dtype_name(dtype()));
    return std::get<0>(values);
}

const std::vector<int64_t>& StoredTensor::i64() const {
    if (dtype() != DType::I64) throw Error(std::string("expected an I64 tensor, found ") + dtype_name(dtype()));
    return std::get<1>(values);
}

StoredTensor f32_tensor(std::vector<uint64_t> shape, std::vector<float> values) {
    return StoredTensor{std::move(shape), std::move(values)};
}

StoredTensor i64_tensor(std::vector<uint64_t> shape, std::vector<int64_t> values) {
    return StoredTensor{std::move(shape), std::move(values)};
}

uint64_t element_count(const std::vector<uint64_t>& shape) {
    uint64_t n = 1;
    for (uint64_t d : shape) {
        if (d != 0 && n > std::numeric_limits<uint64_t>::max() / d)
            throw Error("tensor shape " + shape_str(shape) + " has too many elements");
        n *= d;
    }
    return n;
}

std::vector<uint8_t> encode_safetensors(const SafeTensors& file) {
    // Larger elements first, so every tensor starts at a multiple of its element size.
    std::vector<const std::pair<const std::string, StoredTensor>*> order;
    for (const auto& entry : file.tensors) order.push_back(&entry);
    std::stable_sort(order.begin(), order.end(),
                     [](auto* a, auto* b) { return dtype_size(a->second.dtype()) > dtype_size(b->second.dtype()); });

    json header = json::object();
    uint64_t offset = 0;
    for (const auto* entry : order) {
        const auto& [name, t] = *entry;
        if (name == metadata_key) throw Error("internal: a tensor may not be named __metadata__");
        if (element_count(t.shape) != value_count(t))
            throw Error("internal: tensor '" + name + "' has shape " + shape_str(t.shape) + " but " +
                        std::to_string(value_count(t)) + " values");
        const uint64_t bytes = value_count(t) * dtype_size(t.dtype());
        header[name] = {{"dtype", dtype_name(t.dtype())}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    if (!file.metadata.empty()) header[metadata_key] = file.metadata;

    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');   // 8 + N stays a multiple of 8
    std::vector<uint8_t> out(8 + text.size() + offset);
    const uint64_t n = text.size();
    for (int i = 0; i < 8; ++i) out[i] = uint8_t(n >> (8 * i));
    std::memcpy(out.data() + 8, text.data(), text.size());
    uint8_t* data = out.data() + 8 + text.size();
    for (const auto* entry : order) {
        const StoredTensor& t = entry->second;
        const size_t bytes = value_count(t) * dtype_size(t.dtype());
        if (bytes) std::memcpy(data, value_bytes(t), bytes);
        data += bytes;
    }
    return out;
}

namespace {

// One tensor's header entry, checked on its own (coverage is checked across all of them later).
struct Entry {
    std::string name;
    DType dtype;
    std::vector<uint64_t> shape;
    uint64_t begin, end;
};

Entry parse_entry(const std::string& name, const json& j, uint64_t data_size) {
    const std::string what = "tensor '" + name + "': ";
    if (!j.is_object()) throw Error(what + "its header entry is not a JSON object");
    for (const auto& [key, value] : j.items())
        if (key != "dtype" && key != "shape" && key != "data_offsets") throw Error(what + "unexpected field '" + key + "'");
    if (!j.contains("dtype") || !j.contains("shape") || !j.contains("data_offsets"))
        throw Error(what + "needs dtype, shape and data_offsets");

    Entry e{name, DType::F32, {}, 0, 0};
    const json& dtype = j["dtype"];
    if (!dtype.is_string()) throw Error(what + "dtype is not a string");
    if (dtype == "F32") e.dtype = DType::F32;
    else if (dtype == "I64") e.dtype = DType::I64;
    else throw Error(what + "unsupported dtype " + dtype.dump() + " (vkcolor reads F32 and I64)");

    const json& shape = j["shape"];
    if (!shape.is_array()) throw Error(what + "shape is not a list");
    for (const json& d : shape) {
        if (!d.is_number_unsigned()) throw Error(what + "shape " + shape.dump() + " is not a list of non-negative integers");
        e.shape.push_back(d.get<uint64_t>());
    }

    const json& offsets = j["data_offsets"];
    if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() ||
        !offsets[1].is_number_unsigned())
        throw Error(what + "data_offsets " + offsets.dump() + " is not a pair of non-negative integers");
    e.begin = offsets[0].get<uint64_t>();
    e.end = offsets[1].get<uint64_t>();
    if (e.begin > e.end) throw Error(what + "data_offsets " + offsets.dump() + " end before they begin");
    if (e.end > data_size)
        throw Error(what + "data_offsets " + offsets.dump() + " reach beyond the " + std::to_string(data_size) +
                    " data bytes");

    const uint64_t count = element_count(e.shape);
    if (count > std::numeric_limits<uint64_t>::max() / 8 || count * dtype_size(e.dtype) != e.end - e.begin)
        throw Error(what + "shape " + shape_str(e.shape) + " of " + dtype_name(e.dtype) + " needs " +
                    std::to_string(count) + " elements, but data_offsets " + offsets.dump() + " hold " +
                    std::to_string(e.end - e.begin) + " bytes");
    return e;
}

std::map<std::string, std::string> parse_metadata(const json& j) {
    if (!j.is_object()) throw Error("__metadata__ is not a JSON object");
    std::map<std::string, std::string> metadata;
    for (const auto& [key, value] : j.items()) {
        if (!value.is_string()) throw Error("__metadata__ value of '" + key + "' is not a string");
        metadata[key] = value.get<std::string>();
    }
    return metadata;
}

// The tensors must tile [0, data_size) exactly, in some order.
void check_coverage(std::vector<Entry>& entries, uint64_t data_size) {
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return std::tie(a.begin, a.end) < std::tie(b.begin, b.end); });
    uint64_t covered = 0;
    for (const Entry& e : entries) {
        if (e.begin < covered) throw Error("tensor '" + e.name + "' overlaps the tensor before it");
        if (e.begin > covered)
            throw Error("data bytes " + std::to_string(covered) + ".." + std::to_string(e.begin) +
                        " belong to no tensor");
        covered = e.end;
    }
    if (covered != data_size)
        throw Error("data bytes " + std::to_string(covered) + ".." + std::to_string(data_size) + " belong to no tensor");
}

SafeTensors decode(std::span<const uint8_t> bytes) {
    if (bytes.size() < 8) throw Error("truncated: " + std::to_string(bytes.size()) + " bytes, shorter than the 8-byte header length");
    uint64_t n = 0;
    for (int i = 0; i < 8; ++i) n |= uint64_t(bytes[i]) << (8 * i);
    if (n > bytes.size() - 8)
        throw Error("header length " + std::to_string(n) + " runs past the end of the " +
                    std::to_string(bytes.size()) + "-byte file (truncated?)");
    const uint64_t data_size = bytes.size() - 8 - n;
    const auto* text = reinterpret_cast<const char*>(bytes.data() + 8);

    // nlohmann::json keeps the last of duplicate keys; a duplicated tensor name must be an error.
    std::set<std::string> names;
    std::string duplicate;
    auto note_keys = [&](int depth, json::parse_event_t event, json& parsed) {
        if (event == json::parse_event_t::key && depth == 1 && !names.insert(parsed.get<std::string>()).second)
            duplicate = parsed.get<std::string>();
        return true;
    };
    json header = json::parse(text, text + n, note_keys, /*allow_exceptions=*/false);
    if (header.is_discarded()) throw Error("the header is not valid JSON");
    if (!header.is_object()) throw Error("the header is not a JSON object");
    if (!duplicate.empty()) throw Error("the header names '" + duplicate + "' twice");

    SafeTensors out;
    std::vector<Entry> entries;
    for (const auto& [key, value] : header.items()) {
        if (key == metadata_key) out.metadata = parse_metadata(value);
        else entries.push_back(parse_entry(key, value, data_size));
    }
    check_coverage(entries, data_size);

    const uint8_t* data = bytes.data() + 8 + n;
    for (const Entry& e : entries) {
        StoredTensor t;
        t.shape = e.shape;
        const size_t count = (e.end - e.begin) / dtype_size(e.dtype);
        if (e.dtype == DType::F32) {
            std::vector<float> v(count);
            if (count) std::memcpy(v.data(), data + e.begin, count * 4);
            t.values = std::move(v);
        } else {
            std::vector<int64_t> v(count);
            if (count) std::memcpy(v.data(), data + e.begin, count * 8);
            t.values = std::move(v);
        }
        out.tensors.emplace(e.name, std::move(t));
    }
    return out;
}

} // namespace

SafeTensors decode_safetensors(std::span<const uint8_t> bytes, const std::string& source) {
    try {
        return decode(bytes);
    } catch (const Error& e) {
        throw Error(source + ": not a valid safetensors file: " + e.what());
    }
}

void write_safetensors(const std::filesystem::path& path, const SafeTensors& file) {
    write_file_atomically(path, encode_safetensors(file));
}

SafeTensors read_safetensors(const std::filesystem::path& path) {
    return decode_safetensors(read_file(path), path.string());
}

} // namespace vkcolor::io
