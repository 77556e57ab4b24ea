// WatchChanges of any service: a server-streaming reactor over the
// service's ChangeFeed. It reads the log at the client's pace (one message
// in flight, read from the store when the last one is taken), so a slow
// client holds one message, never a backlog; one that takes nothing for
// ChangeFeedOptions::stall is cut off with RESOURCE_EXHAUSTED. Idle, it
// sends its position every `heartbeat`. gRPC operations run only on the
// worker pool or gRPC's threads, never under the feed's lock.
#ifndef PARLEY_COMMON_SERVICE_CHANGE_WATCH_H_
#define PARLEY_COMMON_SERVICE_CHANGE_WATCH_H_

#include <functional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/api/grpc_status.h"
#include "common/server/executor.h"
#include "common/service/change_feed.h"
#include "grpcpp/grpcpp.h"

namespace parley {

template <typename Response>
class ChangeWatch final : public grpc::ServerWriteReactor<Response>,
                          public ChangeFeed::Watcher {
 public:
  // Changes per message at most.
  static constexpr int kPerMessage = 100;

  template <typename Request>
  ChangeWatch(ChangeFeed* feed, Executor* executor,
              grpc::CallbackServerContext* context, const Request& request)
      : feed_(feed),
        executor_(executor),
        context_(context),
        kinds_(request.kinds()),
        after_(request.after()),
        from_now_(request.from_now()) {
    // Registered before anything can finish it: OnDone removes it.
    feed_->Add(this);
    absl::MutexLock lock(&mu_);
    ScheduleLocked([this] { Begin(); });
  }

  // Called under the feed's lock: only schedules.
  void Wake() override {
    absl::MutexLock lock(&mu_);
    if (!opened_) return;
    if (pumping_) {
      again_ = true;
    } else if (!writing_ && !scheduled_) {
      scheduled_ = true;
      ScheduleLocked([this] { Pump(); });
    }
  }
  void Tick(absl::Time now) override {
    absl::MutexLock lock(&mu_);
    if (finished_) {
      // Its trailers stuck behind a message the client never took.
      if (now - finish_time_ >= feed_->options().stall) context_->TryCancel();
      return;
    }
    if (finish_requested_ || !opened_) return;
    if (writing_ && now - write_started_ >= feed_->options().stall) {
      RequestFinishLocked(grpc::Status(
          grpc::StatusCode::RESOURCE_EXHAUSTED,
          absl::StrCat("the client took no message for ",
                       absl::FormatDuration(feed_->options().stall),
                       ": resume from the last position received")));
    } else if (!writing_ && !scheduled_ && !pumping_ &&
               now - last_sent_ >= feed_->options().heartbeat) {
      scheduled_ = true;
      ScheduleLocked([this] { Pump(); });
    }
  }
  void Close() override {
    absl::MutexLock lock(&mu_);
    RequestFinishLocked(grpc::Status(
        grpc::StatusCode::UNAVAILABLE,
        "the service is shutting down: resume from the last position "
        "received"));
  }

  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (!ok) {
      RequestFinishLocked(
          grpc::Status(grpc::StatusCode::CANCELLED, "the client went away"));
      return;
    }
    scheduled_ = true;
    ScheduleLocked([this] { Pump(); });
  }
  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    RequestFinishLocked(grpc::Status::CANCELLED);
  }
  void OnDone() override {
    feed_->Remove(this);
    Unref();
  }

 private:
  // Runs `task` on the pool, keeping this alive until it has run. Never
  // inline: the caller holds mu_, which every task takes. Once the pool has
  // shut down (after the server has, so every call has ended) nothing runs.
  void ScheduleLocked(std::function<void()> task)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    ++refs_;
    if (!executor_->TrySubmit([this, task = std::move(task)] {
          task();
          Unref();
        })) {
      --refs_;  // gRPC's reference, at least, is still held
    }
  }
  void Unref() {
    bool last = false;
    {
      absl::MutexLock lock(&mu_);
      last = --refs_ == 0;
    }
    if (last) delete this;
  }

  void RequestFinishLocked(grpc::Status status)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finish_requested_) return;
    finish_requested_ = true;
    ScheduleLocked([this, status = std::move(status)] {
      absl::MutexLock lock(&mu_);
      if (finished_) return;
      finished_ = true;
      finish_time_ = absl::Now();
      this->Finish(status);
    });
  }

  void Begin() {
    absl::StatusOr<FeedCursor> cursor = feed_->Open(kinds_, after_, from_now_);
    absl::MutexLock lock(&mu_);
    if (!cursor.ok()) {
      RequestFinishLocked(ToGrpcStatus(cursor.status()));
      return;
    }
    cursor_ = *std::move(cursor);
    opened_ = true;
    scheduled_ = true;
    ScheduleLocked([this] { Pump(); });
  }

  // Reads what is new and sends it, or a heartbeat when one is due.
  void Pump() {
    {
      absl::MutexLock lock(&mu_);
      scheduled_ = false;
      if (finish_requested_ || writing_ || pumping_) return;
      pumping_ = true;
    }
    for (;;) {
      {
        absl::MutexLock lock(&mu_);
        again_ = false;
      }
      // Only Pump touches the cursor and the message while not writing.
      response_.Clear();
      bool caught_up = true;
      const absl::Status read = feed_->Read(
          &cursor_, kPerMessage, response_.mutable_changes(), &caught_up);
      absl::MutexLock lock(&mu_);
      if (!read.ok()) {
        pumping_ = false;
        RequestFinishLocked(ToGrpcStatus(read));
        return;
      }
      if (finish_requested_) {
        pumping_ = false;
        return;
      }
      const absl::Time now = absl::Now();
      if (response_.changes_size() > 0 || !sent_any_ ||
          now - last_sent_ >= feed_->options().heartbeat) {
        response_.set_position(feed_->Position(cursor_.sequence));
        writing_ = true;
        sent_any_ = true;
        write_started_ = now;
        last_sent_ = now;
        pumping_ = false;
        this->StartWrite(&response_);
        return;
      }
      if (!again_ && caught_up) {
        pumping_ = false;
        return;
      }
    }
  }

  ChangeFeed* const feed_;
  Executor* const executor_;
  grpc::CallbackServerContext* const context_;
  const google::protobuf::RepeatedPtrField<std::string> kinds_;
  const std::string after_;
  const bool from_now_;

  absl::Mutex mu_;
  int refs_ ABSL_GUARDED_BY(mu_) = 1;  // gRPC's, until OnDone
  bool opened_ ABSL_GUARDED_BY(mu_) = false;
  bool scheduled_ ABSL_GUARDED_BY(mu_) = false;
  bool pumping_ ABSL_GUARDED_BY(mu_) = false;
  bool again_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool sent_any_ ABSL_GUARDED_BY(mu_) = false;
  bool finish_requested_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time write_started_ ABSL_GUARDED_BY(mu_);
  absl::Time last_sent_ ABSL_GUARDED_BY(mu_);
  absl::Time finish_time_ ABSL_GUARDED_BY(mu_);
  FeedCursor cursor_;
  Response response_;
};

}  // namespace parley

// The WatchChanges handler of a CallbackService edge with a
// `ServiceHost<Domain>* host_`, over `Domain::change_feed()`.
#define PARLEY_WATCH_CHANGES(Domain, Request, Response)               \
  ::grpc::ServerWriteReactor<Response>* WatchChanges(                 \
      ::grpc::CallbackServerContext* context, const Request* request) \
      override {                                                      \
    return host_->template Stream<Response>(                          \
        context, "WatchChanges",                                      \
        [context, request](Domain& domain, const ::parley::Caller&,   \
                           ::parley::Executor* executor)              \
            -> ::grpc::ServerWriteReactor<Response>* {                \
          return new ::parley::ChangeWatch<Response>(                 \
              &domain.change_feed(), executor, context, *request);    \
        });                                                           \
  }

#endif  // PARLEY_COMMON_SERVICE_CHANGE_WATCH_H_
