#include "vkcolor/train/run_folder.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/file.h>
#include <unistd.h>

#include "vkcolor/gpu/error.hpp"
#include "vkcolor/io/file.hpp"

namespace vkcolor::train {

namespace fs = std::filesystem;

namespace {
// "<prefix><digits>.png"
bool is_numbered_png(const std::string& name, const std::string& prefix) {
    if (name.size() <= prefix.size() + 4 || name.compare(0, prefix.size(), prefix) != 0 ||
        name.compare(name.size() - 4, 4, ".png") != 0)
        return false;
    for (size_t i = prefix.size(); i < name.size() - 4; ++i)
        if (name[i] < '0' || name[i] > '9') return false;
    return true;
}
} // namespace

bool is_run_file_name(const std::string& name) {
    for (const char* f : {k_checkpoint_file, k_best_file, k_state_file, k_pending_state_file, k_metrics_file, k_curve_file})
        if (name == f) return true;
    return is_numbered_png(name, "train_") || is_numbered_png(name, "val_");
}

std::string first_run_file(const fs::path& dir) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (is_run_file_name(e.path().filename().string())) return e.path().filename().string();
    return "";
}

void remove_stale_temporaries(const fs::path& dir) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        if (!io::is_temporary_file_name(name)) continue;
        // Only ours: the temporary of one of the run's own files.
        auto stem = name.substr(1, name.find(".tmp-") - 1);
        if (is_run_file_name(stem)) fs::remove(e.path(), ec);
    }
}

RunLock::RunLock(const fs::path& dir) {
    const fs::path path = dir / ".vkcolor-train.lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd_ < 0) throw Error(path.string() + ": cannot open the run folder's lock: " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        int err = errno;
        ::close(fd_);
        fd_ = -1;
        if (err == EWOULDBLOCK)
            throw Error(dir.string() + ": another vkcolor train is running in this folder (it holds " +
                        path.filename().string() + "); wait for it or use another --out");
        throw Error(path.string() + ": cannot lock the run folder: " + std::strerror(err));
    }
}

RunLock::~RunLock() {
    if (fd_ >= 0) ::close(fd_);   // closing releases the flock
}

} // namespace vkcolor::train
