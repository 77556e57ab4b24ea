// A real store for the targets that call the services: RocksDB in a folder
// of its own under /dev/shm (tmpfs: the WAL sync of every write costs
// little) or $TMPDIR, made once per process and removed at exit. The
// folder's name holds the process id, so that a fuzzer that died (a crash
// found) leaves nothing behind for long: the next one removes the folders
// of processes that are gone.
#ifndef PARLEY_TESTS_FUZZ_FUZZ_STORE_H_
#define PARLEY_TESTS_FUZZ_FUZZ_STORE_H_

#include <functional>
#include <memory>
#include <string>

#include "common/store/store.h"

namespace parley::fuzz {

// A fresh folder for this process; removed at exit (once CloseAtExit has
// been called). Aborts if it cannot make one.
std::string MakeScratchDir();

// Runs `close` at exit, before the scratch folders are removed; the last
// registered runs first (servers stop before the stores they use close).
// Call it once what `close` closes is open.
void CloseAtExit(std::function<void()> close);

class FuzzStore {
 public:
  FuzzStore();
  FuzzStore(const FuzzStore&) = delete;
  FuzzStore& operator=(const FuzzStore&) = delete;

  Store* store() { return store_.get(); }
  // Closes the store, removes it and opens an empty one in its place: the
  // stateful targets do so every few thousand inputs, so that records
  // written by earlier inputs do not pile up and slow every call.
  void Reset();
  // Closes the store (before whatever uses it goes away).
  void Close();

 private:
  std::string dir_;
  int generation_ = 0;
  std::unique_ptr<Store> store_;
};

}  // namespace parley::fuzz

#endif  // PARLEY_TESTS_FUZZ_FUZZ_STORE_H_
