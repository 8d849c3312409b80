#pragma once
// Training images from a folder tree of photos.
//
// Every PNG/JPEG file under the folder (recursively; extensions .png .jpg .jpeg in any case;
// names starting with '.' are skipped, such as macOS "._x.jpg" resource forks) becomes one
// side x side image: the largest centred square is cut out, then area-resized to side x side.
// Cropping keeps the aspect ratio, so shapes are not stretched (a colourizer relies on shapes);
// photos tend to put the subject in the middle; and the area filter does not alias when a
// multi-megapixel photo shrinks to 32x32. Files are taken in sorted path order, so the result
// does not depend on the order in which the file system lists them.
//
// Unreadable or corrupt image files: with UnreadableFiles::skip (the default) they are left out
// and each is reported in ImageFolder::skipped ("<path>: <reason>") for the caller to print, so
// one bad file among thousands does not end a run but is never silently lost; with
// UnreadableFiles::fail the first one throws. Either way a folder with no usable image throws.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "vkcolor/tensor.hpp"

namespace vkcolor::data {

enum class UnreadableFiles { skip, fail };

struct ImageFolderOptions {
    uint32_t side = 32;
    UnreadableFiles unreadable = UnreadableFiles::skip;
};

struct ImageFolder {
    HostTensor images;                        // N x 3 x side x side, pixel/256
    std::vector<std::filesystem::path> files; // files[i] is images[i]
    std::vector<std::string> skipped;         // "<path>: <reason>" per unreadable file
};

// True for .png, .jpg and .jpeg in any case.
bool is_image_file_name(const std::filesystem::path& path);

ImageFolder load_image_folder(const std::filesystem::path& folder, const ImageFolderOptions& options = {});

} // namespace vkcolor::data
