// What tests check in replies: the fields a google.rpc.BadRequest names
// (and cases that spoil a valid record to make it name them), estimates and
// date spans as the service resolves them, and protos equal field for field.
#ifndef PARLEY_TESTS_LIB_STATUS_MATCHERS_H_
#define PARLEY_TESTS_LIB_STATUS_MATCHERS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/base/status.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "parley/common/v1/date_span.pb.h"
#include "parley/common/v1/estimate.pb.h"

namespace parley::testing {

// ---------------------------------------------------------------------------
// BadRequest fields.

// The fields a BadRequest names, in reply order; none if `status` carries no
// BadRequest.
inline std::vector<std::string> ViolationFields(const absl::Status& status) {
  google::rpc::BadRequest bad_request;
  std::vector<std::string> fields;
  if (!GetBadRequest(status, &bad_request)) return fields;
  for (const auto& v : bad_request.field_violations())
    fields.push_back(v.field());
  return fields;
}

// The fields collected violations name, as the reply would.
inline std::vector<std::string> ViolationFields(const FieldViolations& v) {
  return ViolationFields(v.ToStatus());
}

// The fields `validate` names in `record` (resolved in place, as the service
// does), the record standing at request path `at`.
template <typename Record, typename Validate>
std::vector<std::string> ValidationFields(Validate validate, Record* record,
                                          const std::string& at) {
  FieldViolations v;
  validate(record, at, &v);
  return ViolationFields(v);
}

// One way to spoil a valid record, and the fields validation must then name.
template <typename Record>
struct BadFieldCase {
  const char* name;  // with CaseName, the test's name too
  std::function<void(Record*)> spoil;
  std::vector<std::string> fields;
};

// The fields `validate` names in `valid` once `c` has spoiled it.
template <typename Record, typename Validate>
std::vector<std::string> SpoiledFields(const BadFieldCase<Record>& c,
                                       Record valid, Validate validate,
                                       const std::string& at) {
  c.spoil(&valid);
  return ValidationFields(validate, &valid, at);
}

// Names a parameterised test after its case's `name`.
struct CaseName {
  template <typename Param>
  std::string operator()(const ::testing::TestParamInfo<Param>& info) const {
    return info.param.name;
  }
};

// A List request filter that is refused, naming `field`.
template <typename Request>
struct BadFilter {
  std::function<void(Request&)> fill;
  const char* field;
};

// ---------------------------------------------------------------------------
// Protos, spans and estimates.

inline ::testing::AssertionResult ProtoEq(const google::protobuf::Message& a,
                                          const google::protobuf::Message& b) {
  std::string diff;
  google::protobuf::util::MessageDifferencer d;
  d.ReportDifferencesToString(&diff);
  if (d.Compare(a, b)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "protos differ:\n" << diff;
}

inline void ExpectSpan(const ::parley::common::v1::DateSpan& span,
                       const std::string& text,
                       ::parley::common::v1::DateSpan::Precision precision,
                       const std::string& first, const std::string& last) {
  EXPECT_EQ(span.text(), text);
  EXPECT_EQ(span.precision(), precision);
  EXPECT_EQ(span.first_day(), first);
  EXPECT_EQ(span.last_day(), last);
}

// Exactly n, completed: low = best = high = n.
inline void ExpectExact(const ::parley::common::v1::Estimate& e, int64_t n) {
  EXPECT_EQ(e.qualifier(), ::parley::common::v1::Estimate::QUALIFIER_EXACT)
      << e.ShortDebugString();
  EXPECT_TRUE(e.has_low() && e.has_best() && e.has_high())
      << e.ShortDebugString();
  EXPECT_EQ(e.low(), n);
  EXPECT_EQ(e.best(), n);
  EXPECT_EQ(e.high(), n);
}

// "At least n": low n, nothing known above it.
inline void ExpectAtLeast(const ::parley::common::v1::Estimate& e,
                          int64_t low) {
  EXPECT_EQ(e.qualifier(), ::parley::common::v1::Estimate::QUALIFIER_AT_LEAST)
      << e.ShortDebugString();
  EXPECT_EQ(e.low(), low) << e.ShortDebugString();
  EXPECT_FALSE(e.has_best()) << e.ShortDebugString();
  EXPECT_FALSE(e.has_high()) << e.ShortDebugString();
}

// Stated as UNKNOWN, with no figure at all.
inline void ExpectUnknown(const ::parley::common::v1::Estimate& e) {
  EXPECT_EQ(e.qualifier(), ::parley::common::v1::Estimate::QUALIFIER_UNKNOWN)
      << e.ShortDebugString();
  EXPECT_FALSE(e.has_low() || e.has_best() || e.has_high())
      << e.ShortDebugString();
}

// No figure known, whatever the qualifier (a total of unknowns): never a
// made-up zero.
inline void ExpectNoFigure(const ::parley::common::v1::Estimate& e) {
  EXPECT_NE(e.qualifier(), ::parley::common::v1::Estimate::QUALIFIER_EXACT)
      << e.ShortDebugString();
  EXPECT_FALSE(e.has_best()) << e.ShortDebugString();
  EXPECT_FALSE(e.has_high()) << e.ShortDebugString();
  EXPECT_EQ(e.low(), 0) << e.ShortDebugString();
}

}  // namespace parley::testing

#endif  // PARLEY_TESTS_LIB_STATUS_MATCHERS_H_
