#include "vkcolor/io/file.hpp"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "vkcolor/gpu/error.hpp"

namespace vkcolor::io {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const fs::path& path, const std::string& what, int err) {
    throw Error(path.string() + ": " + what + ": " + std::strerror(err));
}

// Closes a descriptor on every exit path.
struct FileDescriptor {
    int fd = -1;
    ~FileDescriptor() {
        if (fd >= 0) ::close(fd);
    }
};

} // namespace

std::vector<uint8_t> read_file(const fs::path& path, uint64_t max_bytes) {
    FileDescriptor f{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (f.fd < 0) fail(path, "cannot open", errno);
    struct stat st {};
    if (::fstat(f.fd, &st) != 0) fail(path, "cannot stat", errno);
    if (S_ISDIR(st.st_mode)) throw Error(path.string() + ": is a directory, expected a file");
    auto too_big = [&] {
        return Error(path.string() + ": larger than " + std::to_string(max_bytes >> 20) +
                     " MiB, more than any file of this kind vkcolor reads; refused");
    };
    if (S_ISREG(st.st_mode) && uint64_t(st.st_size) > max_bytes) throw too_big();
    std::vector<uint8_t> bytes;
    if (S_ISREG(st.st_mode)) bytes.reserve(size_t(st.st_size));
    uint8_t chunk[1 << 16];
    for (;;) {
        ssize_t n = ::read(f.fd, chunk, sizeof chunk);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail(path, "cannot read", errno);
        }
        if (n == 0) break;
        if (bytes.size() + size_t(n) > max_bytes) throw too_big();   // a device or a growing file
        bytes.insert(bytes.end(), chunk, chunk + n);
    }
    return bytes;
}

void after_write_boundary() {
    static const long kill_after = [] {
        const char* v = std::getenv("VKCOLOR_TEST_KILL_AFTER_WRITES");
        return v && *v ? std::strtol(v, nullptr, 10) : 0L;
    }();
    static long done = 0;
    if (kill_after > 0 && ++done == kill_after) ::kill(::getpid(), SIGKILL);
}

bool is_temporary_file_name(const std::string& name) {
    return name.size() > 1 && name[0] == '.' && name.find(".tmp-") != std::string::npos;
}

namespace {
void sync_directory(const fs::path& dir) {
    // Makes a rename durable; failing here leaves a complete file, so it is not an error.
    FileDescriptor d{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    if (d.fd >= 0) ::fsync(d.fd);
}

fs::path directory_of(const fs::path& path) { return path.has_parent_path() ? path.parent_path() : fs::path("."); }

// rename() that fails with EEXIST instead of replacing: renameat2's RENAME_NOREPLACE, or, on file
// systems without it, link() and unlink() (link never replaces either).
int rename_no_replace(const char* from, const char* to) {
    if (::renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0) return 0;
    if (errno != EINVAL && errno != ENOSYS) return -1;
    if (::link(from, to) != 0) return -1;
    ::unlink(from);
    return 0;
}
} // namespace

void rename_file(const fs::path& from, const fs::path& to) {
    if (::rename(from.c_str(), to.c_str()) != 0) fail(to, "cannot rename " + from.string() + " to it", errno);
    sync_directory(directory_of(to));
    after_write_boundary();
}

void write_file_atomically(const fs::path& path, std::span<const uint8_t> bytes, OnExisting existing) {
    const fs::path dir = directory_of(path);
    // The temporary lives beside the target so that rename() stays within one file system. It is
    // created with mode 0666 and O_EXCL, so the kernel applies the umask (mkstemp would make it
    // 0600, and reading the umask means changing it, which races with other threads).
    static std::atomic<uint64_t> counter{0};
    // Long names keep only their start in the temporary's name: a file name the system accepts
    // must not fail on its temporary (NAME_MAX is 255 bytes on Linux file systems).
    std::string name = path.filename().string().substr(0, 200);
    std::string tmp;
    FileDescriptor f;
    for (int attempt = 0; f.fd < 0; ++attempt) {
        tmp = (dir / ("." + name + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++))).string();
        f.fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (f.fd < 0 && (errno != EEXIST || attempt == 100))   // EEXIST: left over from a crash
            fail(path, "cannot create a temporary file in " + dir.string(), errno);
    }

    auto abandon = [&](const std::string& what) {
        int err = errno;
        ::unlink(tmp.c_str());
        fail(path, what, err);
    };
    for (size_t done = 0; done < bytes.size();) {
        ssize_t n = ::write(f.fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            abandon("cannot write");
        }
        done += size_t(n);
    }
    if (::fsync(f.fd) != 0) abandon("cannot flush to disk");
    int fd = f.fd;
    f.fd = -1;
    if (::close(fd) != 0) abandon("cannot close");
    if (existing == OnExisting::refuse) {
        if (rename_no_replace(tmp.c_str(), path.c_str()) != 0) {
            if (errno != EEXIST) abandon("cannot create");
            ::unlink(tmp.c_str());
            throw Error(path.string() + ": already exists (not replaced)");
        }
    } else if (::rename(tmp.c_str(), path.c_str()) != 0) {
        abandon("cannot replace");
    }
    sync_directory(dir);
    after_write_boundary();
}

} // namespace vkcolor::io
