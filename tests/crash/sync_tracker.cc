// LD_PRELOAD'ed into a service by the crash driver: records how much of each
// WAL file (*.log) had been synced, so that after a kill the driver can drop
// every byte that was not, as a power loss would (the page cache, which a
// SIGKILL leaves intact, lost). Each fsync/fdatasync of a WAL file appends
// "<path> <size before the sync>" to the file named by PARLEY_SYNC_LOG.
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

using SyncFn = int (*)(int);
SyncFn real_fsync = nullptr;
SyncFn real_fdatasync = nullptr;
int sync_log = -1;

__attribute__((constructor)) void Init() {
  const char* path = std::getenv("PARLEY_SYNC_LOG");
  if (path != nullptr) {
    sync_log = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  }
}

// The WAL file's path and size, if `fd` is one; else size -1. The size is
// taken before the sync: bytes written later are not covered by it.
long long WalSize(int fd, char* path, size_t path_size) {
  char link[64];
  std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t n = readlink(link, path, path_size - 1);
  if (n < 5) return -1;
  path[n] = '\0';
  if (std::strcmp(path + n - 4, ".log") != 0) return -1;
  struct stat st;
  if (fstat(fd, &st) != 0) return -1;
  return static_cast<long long>(st.st_size);
}

void Record(const char* path, long long size) {
  char line[4200];
  const int length = std::snprintf(line, sizeof line, "%s %lld\n", path, size);
  // One write per line on an O_APPEND file: lines from threads do not mix.
  if (length > 0 && length < static_cast<int>(sizeof line)) {
    const ssize_t ignored = write(sync_log, line, static_cast<size_t>(length));
    (void)ignored;  // a lost line only makes the driver drop more
  }
}

int Sync(SyncFn* real, const char* name, int fd) {
  // Resolved on first use: a sync may come before the constructor runs.
  if (*real == nullptr)
    *real = reinterpret_cast<SyncFn>(dlsym(RTLD_NEXT, name));
  char path[4096];
  const long long size = sync_log >= 0 ? WalSize(fd, path, sizeof path) : -1;
  const int result = (*real)(fd);
  if (result == 0 && size >= 0) Record(path, size);
  return result;
}

}  // namespace

extern "C" int fsync(int fd) { return Sync(&real_fsync, "fsync", fd); }
extern "C" int fdatasync(int fd) {
  return Sync(&real_fdatasync, "fdatasync", fd);
}
