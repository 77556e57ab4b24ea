#include "tests/crash/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "nlohmann/json.hpp"

namespace parley::crash {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::StatusOr<Child> Child::Start(const std::vector<std::string>& argv,
                                   const std::string& log,
                                   const std::vector<std::string>& env) {
  const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) {
    return absl::InternalError(
        absl::StrCat("cannot write ", log, ": ", std::strerror(errno)));
  }
  std::vector<char*> args;
  for (const std::string& arg : argv)
    args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    close(fd);
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  }
  if (pid == 0) {
    // The child: dies with the driver, writes to the log, runs the binary.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    // The driver blocks no signals the service relies on; unblock them all.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    // The strings are this process's copy of the driver's: alive until exec.
    for (const std::string& entry : env)
      putenv(const_cast<char*>(entry.c_str()));
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    close(fd);
    execv(args[0], args.data());
    _exit(127);
  }
  close(fd);
  Child child;
  child.pid_ = pid;
  child.log_ = log;
  return child;
}

Child::Child(Child&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), log_(std::move(other.log_)) {}

Child& Child::operator=(Child&& other) noexcept {
  if (this != &other) {
    if (running()) {
      Signal(SIGKILL);
      Wait();
    }
    pid_ = std::exchange(other.pid_, -1);
    log_ = std::move(other.log_);
  }
  return *this;
}

Child::~Child() {
  if (running()) {
    Signal(SIGKILL);
    Wait();
  }
}

void Child::Signal(int signal) const {
  if (pid_ > 0) kill(pid_, signal);
}

namespace {

int ExitCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

int Child::Wait() {
  if (pid_ <= 0) return -1;
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  return ExitCode(status);
}

bool Child::Exited(int* exit_code) {
  if (pid_ <= 0) return true;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) != pid_) return false;
  pid_ = -1;
  *exit_code = ExitCode(status);
  return true;
}

absl::StatusOr<int> Child::WaitServing(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  int port = 0;
  while (absl::Now() < deadline) {
    int exit_code = 0;
    if (Exited(&exit_code)) {
      return absl::UnavailableError(absl::StrCat("exited (", exit_code,
                                                 ") before serving; its log:\n",
                                                 ReadFile(log_)));
    }
    for (absl::string_view line : absl::StrSplit(ReadFile(log_), '\n')) {
      const nlohmann::json entry = nlohmann::json::parse(line, nullptr, false);
      if (!entry.is_object()) continue;
      const std::string message = entry.value("msg", "");
      if (entry.contains("port") && entry["port"].is_number() &&
          message.rfind("listening", 0) == 0) {
        port = entry["port"].get<int>();
      }
      if (message == "serving" && port > 0) return port;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::DeadlineExceededError(
      absl::StrCat("not serving after ", absl::FormatDuration(timeout),
                   "; its log:\n", ReadFile(log_)));
}

absl::StatusOr<RunResult> Run(const std::vector<std::string>& argv,
                              const std::string& log, absl::Duration timeout) {
  absl::StatusOr<Child> child = Child::Start(argv, log);
  if (!child.ok()) return child.status();
  const absl::Time deadline = absl::Now() + timeout;
  RunResult result;
  while (!child->Exited(&result.exit_code)) {
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat(absl::StrJoin(argv, " "), " still running after ",
                       absl::FormatDuration(timeout)));
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  result.output = ReadFile(log);
  return result;
}

}  // namespace parley::crash
