// A fixed pool of threads for blocking work (durable RocksDB writes), so
// gRPC's callback threads never block and concurrent writes can share syncs.
#ifndef PARLEY_COMMON_SERVER_EXECUTOR_H_
#define PARLEY_COMMON_SERVER_EXECUTOR_H_

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace parley {

class Executor {
 public:
  explicit Executor(int threads);
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;
  // Runs what was submitted, then joins.
  ~Executor();

  void Submit(std::function<void()> task);
  // Queues `task` unless shutting down (false: not queued, never run). For
  // callers that hold a lock the task takes, which Submit's inline run
  // after shutdown would deadlock on.
  bool TrySubmit(std::function<void()> task);
  // Stops taking work, runs what is queued, and joins. Idempotent.
  void Shutdown();

 private:
  void Work();

  absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace parley

#endif  // PARLEY_COMMON_SERVER_EXECUTOR_H_
