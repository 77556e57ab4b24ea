// Timestamps and field masks as the API takes them.
#ifndef PARLEY_TESTS_LIB_GRPC_HELPERS_H_
#define PARLEY_TESTS_LIB_GRPC_HELPERS_H_

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <thread>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"

namespace parley::testing {

inline int64_t Micros(const ::google::protobuf::Timestamp& t) {
  return ::google::protobuf::util::TimeUtil::TimestampToMicroseconds(t);
}

inline ::google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  return ::google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(t));
}

// A millisecond before `t`: before a record existed, given its create_time.
inline ::google::protobuf::Timestamp MillisecondBefore(
    const ::google::protobuf::Timestamp& t) {
  const int64_t micros = Micros(t) - 1000;
  return ::google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(micros);
}

// A moment strictly between two server writes: the clock read after the
// first has returned, with a margin on both sides.
inline ::google::protobuf::Timestamp MomentBetween() {
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const ::google::protobuf::Timestamp t = ToTimestamp(absl::Now());
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return t;
}

inline ::google::protobuf::FieldMask Mask(
    std::initializer_list<const char*> paths) {
  ::google::protobuf::FieldMask m;
  for (const char* p : paths) m.add_paths(p);
  return m;
}

}  // namespace parley::testing

#endif  // PARLEY_TESTS_LIB_GRPC_HELPERS_H_
