// Child processes for the crash driver: the services it starts, kills with
// SIGKILL and restarts, and the one-shot runs of a binary (--check_store,
// --restore_from). A child dies with the driver (PR_SET_PDEATHSIG), so a
// driver that fails leaves no service behind.
#ifndef PARLEY_TESTS_CRASH_PROCESS_H_
#define PARLEY_TESTS_CRASH_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace parley::crash {

class Child {
 public:
  // Starts argv (argv[0] is the binary's path) with stdout and stderr
  // written to `log`, and `env` ("NAME=value") added to its environment.
  static absl::StatusOr<Child> Start(const std::vector<std::string>& argv,
                                     const std::string& log,
                                     const std::vector<std::string>& env = {});
  Child() = default;
  Child(Child&& other) noexcept;
  Child& operator=(Child&& other) noexcept;
  // Kills (SIGKILL) and reaps a child still running.
  ~Child();

  pid_t pid() const { return pid_; }
  const std::string& log() const { return log_; }
  bool running() const { return pid_ > 0; }

  // Sends `signal`; the child is reaped by Wait.
  void Signal(int signal) const;
  // Waits for the exit: the exit code, or 128 + the signal that ended it.
  int Wait();
  // Whether it has exited (then reaped, with its code in *exit_code).
  bool Exited(int* exit_code);

  // Until the service's log says it is serving: its gRPC port (from the
  // "listening" line). An error if it exits first or `timeout` passes.
  absl::StatusOr<int> WaitServing(absl::Duration timeout);

 private:
  pid_t pid_ = -1;
  std::string log_;
};

struct RunResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs argv to its end (killed after `timeout`, which is an error).
absl::StatusOr<RunResult> Run(const std::vector<std::string>& argv,
                              const std::string& log, absl::Duration timeout);

std::string ReadFile(const std::string& path);

}  // namespace parley::crash

#endif  // PARLEY_TESTS_CRASH_PROCESS_H_
