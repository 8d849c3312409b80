#pragma once
// The run folder of `vkcolor train --out`: which files are a run's, one run at a time, and what
// a killed run leaves behind.
//
// Commit order (trainer.cpp): each epoch writes metrics.jsonl, training_curve.png and the sample
// grids, then the training state to train_state.next.safetensors, then checkpoint.safetensors
// (the commit point), then renames the pending state to train_state.safetensors, then
// best.safetensors. Every write is atomic, so a kill anywhere leaves a checkpoint of epoch C with
// a training state of epoch C under one of the two state names, metrics.jsonl with at least C
// epochs (lines past C are from an uncommitted epoch and are dropped on resume), and a
// best.safetensors that --resume repairs when it lags behind the history.
#include <filesystem>
#include <string>

namespace vkcolor::train {

inline constexpr const char* k_checkpoint_file = "checkpoint.safetensors";
inline constexpr const char* k_best_file = "best.safetensors";
inline constexpr const char* k_state_file = "train_state.safetensors";
inline constexpr const char* k_pending_state_file = "train_state.next.safetensors";
inline constexpr const char* k_metrics_file = "metrics.jsonl";
inline constexpr const char* k_curve_file = "training_curve.png";

// Whether `name` is a file a run writes (the names above, train_E.png and val_E.png).
bool is_run_file_name(const std::string& name);
// The first run file in `dir`, or empty if none.
std::string first_run_file(const std::filesystem::path& dir);

// Deletes the temporary files of writes a killed process never finished. Call only while
// holding the folder's RunLock.
void remove_stale_temporaries(const std::filesystem::path& dir);

// An exclusive lock on a run folder (flock on its .vkcolor-train.lock), held until destruction
// and released by the kernel if the process dies. Throws vkcolor::Error naming the folder if
// another process holds it.
class RunLock {
public:
    explicit RunLock(const std::filesystem::path& dir);
    ~RunLock();
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;

private:
    int fd_ = -1;
};

} // namespace vkcolor::train
