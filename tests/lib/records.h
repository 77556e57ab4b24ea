// Builders for the common types every domain's test records are made of:
// parties, estimates and sources, as a client would send them (nothing is
// normalised unless the name says so).
#ifndef PARLEY_TESTS_LIB_RECORDS_H_
#define PARLEY_TESTS_LIB_RECORDS_H_

#include <cstdint>
#include <string>

#include "common/model/estimate.h"
#include "parley/common/v1/estimate.pb.h"
#include "parley/common/v1/party.pb.h"
#include "parley/common/v1/source.pb.h"

namespace parley::testing {

// The prisoner-exchange channel RU-UA of the seed week, stalled since
// October 2025: the exchanges service keeps it, negotiations statements are
// about it.
inline constexpr char kPowChannel[] = "channels/pow-ru-ua";

inline ::parley::common::v1::Party Country(const std::string& code) {
  ::parley::common::v1::Party p;
  p.set_country(code);
  return p;
}

// ---------------------------------------------------------------------------
// Estimates.

// Exactly n, as a client sends it: best only.
inline ::parley::common::v1::Estimate Exact(int64_t n) {
  ::parley::common::v1::Estimate e;
  e.set_best(n);
  e.set_qualifier(::parley::common::v1::Estimate::QUALIFIER_EXACT);
  return e;
}

// Exactly n as the service completes it: low = best = high = n.
inline ::parley::common::v1::Estimate NormalizedExact(int64_t n) {
  ::parley::common::v1::Estimate e = Exact(n);
  NormalizeEstimate(&e);
  return e;
}

// "At least n": low only.
inline ::parley::common::v1::Estimate AtLeast(int64_t n) {
  ::parley::common::v1::Estimate e;
  e.set_low(n);
  e.set_qualifier(::parley::common::v1::Estimate::QUALIFIER_AT_LEAST);
  return e;
}

// No figure given.
inline ::parley::common::v1::Estimate Unknown() {
  ::parley::common::v1::Estimate e;
  e.set_qualifier(::parley::common::v1::Estimate::QUALIFIER_UNKNOWN);
  return e;
}

// ---------------------------------------------------------------------------
// Sources.

// A press report by `publisher`, published on `published`. No test reads the
// URL; it is there because reports have one.
inline ::parley::common::v1::Source Reported(
    const std::string& publisher, const std::string& published = "2026-W05") {
  ::parley::common::v1::Source s;
  s.set_publisher(publisher);
  s.set_published(published);
  s.set_url("https://example.org/report");
  s.set_reliability(::parley::common::v1::Source::RELIABILITY_REPORTED);
  return s;
}

// Russian chief negotiator Vladimir Medinsky in a Telegram post of 2026-W05.
// How far to believe him is the record's: the repatriation figures are "as
// confirmed by" him (CONFIRMED), his accusations are his claims (CLAIMED).
inline ::parley::common::v1::Source MedinskyTelegram(
    ::parley::common::v1::Source::Reliability reliability) {
  ::parley::common::v1::Source s;
  s.mutable_attributed_to()->set_person("Vladimir Medinsky");
  s.mutable_attributed_to()->set_role("chief negotiator");
  s.mutable_attributed_to()->set_country("RU");
  s.set_channel("Telegram post");
  s.set_published("2026-W05");
  s.set_reliability(reliability);
  return s;
}

}  // namespace parley::testing

#endif  // PARLEY_TESTS_LIB_RECORDS_H_
