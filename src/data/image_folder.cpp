#include "vkcolor/data/image_folder.hpp"

#include <algorithm>
#include <cctype>

#include "vkcolor/gpu/error.hpp"
#include "vkcolor/io/image.hpp"

namespace vkcolor::data {

namespace fs = std::filesystem;

bool is_image_file_name(const fs::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

namespace {

std::vector<fs::path> image_files(const fs::path& folder) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) throw Error(folder.string() + ": not a directory (expected a folder of images)");
    std::vector<fs::path> files;
    fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) throw Error(folder.string() + ": cannot list: " + ec.message());
    for (; it != end; it.increment(ec)) {
        if (ec) throw Error(folder.string() + ": cannot list: " + ec.message());
        const fs::path& p = it->path();
        if (p.filename().string().starts_with(".")) {
            if (it->is_directory(ec)) it.disable_recursion_pending();
            continue;
        }
        if (is_image_file_name(p) && !it->is_directory(ec)) files.push_back(p);
    }
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace

ImageFolder load_image_folder(const fs::path& folder, const ImageFolderOptions& options) {
    if (options.side == 0) throw Error("internal: image folder side 0");
    ImageFolder out;
    std::vector<float> pixels;
    for (const fs::path& f : image_files(folder)) {
        HostTensor image;
        try {
            image = io::load_image(f);
        } catch (const Error& e) {
            if (options.unreadable == UnreadableFiles::fail) throw;
            out.skipped.push_back(e.what());
            continue;
        }
        HostTensor square = io::resize_area(io::centre_crop_square(image), options.side, options.side);
        pixels.insert(pixels.end(), square.data.begin(), square.data.end());
        out.files.push_back(f);
    }
    if (out.files.empty())
        throw Error(folder.string() + ": no readable PNG or JPEG images" +
                    (out.skipped.empty() ? std::string() : " (" + std::to_string(out.skipped.size()) + " unreadable)"));
    out.images.shape = Shape{uint32_t(out.files.size()), 3, options.side, options.side};
    out.images.data = std::move(pixels);
    return out;
}

} // namespace vkcolor::data
