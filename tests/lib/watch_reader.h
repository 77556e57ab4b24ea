// A WatchChanges stream as a client reads it, on its own thread: what has
// come so far, waits with a bound, and the stream's end.
#ifndef PARLEY_TESTS_LIB_WATCH_READER_H_
#define PARLEY_TESTS_LIB_WATCH_READER_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "parley/common/v1/change.pb.h"

namespace parley::testing {

// `Response` is a service's WatchChangesResponse.
template <typename Response>
class WatchReader {
 public:
  // `open(context)` starts the call (the context may be given metadata).
  explicit WatchReader(
      const std::function<std::unique_ptr<grpc::ClientReader<Response>>(
          grpc::ClientContext*)>& open) {
    reader_ = open(&context_);
    thread_ = std::thread([this] {
      Response resp;
      while (reader_->Read(&resp)) {
        absl::MutexLock lock(&mu_);
        ++messages_;
        for (const auto& c : resp.changes()) changes_.push_back(c);
        position_ = resp.position();
      }
      grpc::Status status = reader_->Finish();
      absl::MutexLock lock(&mu_);
      status_ = std::move(status);
      done_ = true;
    });
  }
  ~WatchReader() {
    context_.TryCancel();
    thread_.join();
  }
  WatchReader(const WatchReader&) = delete;
  WatchReader& operator=(const WatchReader&) = delete;

  // Waits (up to 30 s) until `n` changes have come; whether they have.
  bool WaitFor(size_t n) {
    absl::MutexLock lock(&mu_);
    auto enough = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return changes_.size() >= n || done_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&enough), absl::Seconds(30));
    return changes_.size() >= n;
  }
  // Waits (up to 30 s) for the stream to end; its status.
  grpc::Status WaitEnd() {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&done_), absl::Seconds(30));
    return done_ ? status_
                 : grpc::Status(grpc::StatusCode::UNKNOWN, "still open");
  }
  std::vector<::parley::common::v1::Change> changes() {
    absl::MutexLock lock(&mu_);
    return changes_;
  }
  std::string position() {
    absl::MutexLock lock(&mu_);
    return position_;
  }
  int messages() {
    absl::MutexLock lock(&mu_);
    return messages_;
  }

 private:
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<Response>> reader_;
  std::thread thread_;
  absl::Mutex mu_;
  std::vector<::parley::common::v1::Change> changes_ ABSL_GUARDED_BY(mu_);
  std::string position_ ABSL_GUARDED_BY(mu_);
  int messages_ ABSL_GUARDED_BY(mu_) = 0;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
};

// "name@revision" of each change, in feed order.
inline std::vector<std::string> ChangeKeys(
    const std::vector<::parley::common::v1::Change>& changes) {
  std::vector<std::string> keys;
  for (const auto& c : changes) {
    keys.push_back(c.name() + "@" + std::to_string(c.revision()));
  }
  return keys;
}

}  // namespace parley::testing

#endif  // PARLEY_TESTS_LIB_WATCH_READER_H_
