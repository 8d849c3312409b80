// A run folder survives a kill at any moment: `vkcolor train` is killed after every write it
// makes (the VKCOLOR_TEST_KILL_AFTER_WRITES hook in io/file.cpp, not timing luck), resumed, and
// must end with the same bytes as a run that was never interrupted. Also: one run per folder,
// stale temporaries removed, and a new run never writes over an old run's files.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fcntl.h>
#include <sstream>
#include <string>
#include <sys/file.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cli_helpers.hpp"
#include "data_helpers.hpp"

using Catch::Contains;
using namespace vkcolor;
namespace fs = std::filesystem;

namespace {
std::string tiny(const fs::path& out, const std::string& extra = "") {
    return "train --backend cpu --model cnn --num-filters 4 --data synthetic --synthetic-train 16 "
           "--synthetic-validation 8 --batch 8 --epochs 2 --out " + out.string() + " " + extra;
}

test::Run run_killed_after(int writes, const std::string& args) {
    ::setenv("VKCOLOR_TEST_KILL_AFTER_WRITES", std::to_string(writes).c_str(), 1);
    auto r = test::run_vkcolor(args);
    ::unsetenv("VKCOLOR_TEST_KILL_AFTER_WRITES");
    return r;
}

// metrics.jsonl without the wall times, which differ from run to run.
std::string metrics_without_times(const fs::path& path) {
    auto bytes = test::read_bytes(path);
    std::istringstream in(std::string(bytes.begin(), bytes.end()));
    std::string out;
    for (std::string line; std::getline(in, line);) {
        auto j = nlohmann::json::parse(line);
        j.erase("time_s");
        j.erase("train_images_per_s");
        out += j.dump() + "\n";
    }
    return out;
}
} // namespace

TEST_CASE("a run killed after any write resumes to the bytes of an uninterrupted run", "[cli][train][kill]") {
    test::ScratchDir dir;
    auto whole = test::run_vkcolor(tiny(dir / "whole"));
    INFO(whole.out);
    REQUIRE(whole.code == 0);
    const char* files[] = {"checkpoint.safetensors", "train_state.safetensors", "best.safetensors",
                           "training_curve.png",     "train_2.png",             "val_2.png"};

    int boundaries = 0;
    for (int k = 1;; ++k) {
        const fs::path out = dir / ("killed-" + std::to_string(k));
        auto killed = run_killed_after(k, tiny(out));
        if (killed.code == 0) break;   // the run made fewer than k writes: every boundary is done
        REQUIRE(k < 100);
        ++boundaries;
        INFO("killed after write " << k << "\n" << killed.out);
        auto resumed = test::run_vkcolor(tiny(out, "--resume"));
        INFO(resumed.out);
        REQUIRE(resumed.code == 0);
        for (const char* f : files) {
            INFO(f);
            CHECK(test::read_bytes(out / f) == test::read_bytes(dir / "whole" / f));
        }
        CHECK(metrics_without_times(out / "metrics.jsonl") == metrics_without_times(dir / "whole" / "metrics.jsonl"));
        CHECK(!fs::exists(out / "train_state.next.safetensors"));
        for (const auto& e : fs::directory_iterator(out))
            CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);
    }
    // Two epochs of metrics, curve, 2 sample grids, pending state, checkpoint, rename and (at
    // least the first epoch's) best: the hook really stopped the run at each of them.
    CHECK(boundaries >= 15);
}

TEST_CASE("one run per folder, stale temporaries go, and a new run keeps an old run's files", "[cli][train]") {
    test::ScratchDir dir;
    fs::create_directories(dir / "run");
    // Another process holds the folder's lock.
    int fd = ::open((dir / "run" / ".vkcolor-train.lock").c_str(), O_RDWR | O_CREAT, 0666);
    REQUIRE(fd >= 0);
    REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
    auto busy = test::run_vkcolor(tiny(dir / "run"));
    CHECK(busy.code == 1);
    CHECK_THAT(busy.out, Contains("another vkcolor train is running in this folder"));
    ::close(fd);

    // What a killed write leaves is removed on start; other files are not touched.
    test::write_text(dir / "run" / ".checkpoint.safetensors.tmp-123-0", "half");
    test::write_text(dir / "run" / "notes.txt", "mine");
    auto ok = test::run_vkcolor(tiny(dir / "run"));
    INFO(ok.out);
    REQUIRE(ok.code == 0);
    CHECK(!fs::exists(dir / "run" / ".checkpoint.safetensors.tmp-123-0"));
    CHECK(fs::exists(dir / "run" / "notes.txt"));

    // A folder holding any of a run's files (not only a checkpoint) is refused without --resume.
    fs::create_directories(dir / "old");
    test::write_text(dir / "old" / "metrics.jsonl", "{}\n");
    auto refused = test::run_vkcolor(tiny(dir / "old"));
    CHECK(refused.code == 1);
    CHECK_THAT(refused.out, Contains("already holds a run (metrics.jsonl)"));
    CHECK(test::read_bytes(dir / "old" / "metrics.jsonl") == std::vector<uint8_t>{'{', '}', '\n'});
    // --resume on a folder with no run at all is a mistake, not a new run.
    fs::create_directories(dir / "empty");
    auto nothing = test::run_vkcolor(tiny(dir / "empty", "--resume"));
    CHECK(nothing.code == 1);
    CHECK_THAT(nothing.out, Contains("nothing to resume"));
}
