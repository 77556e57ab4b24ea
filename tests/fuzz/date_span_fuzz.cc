// DateSpan::Parse (common/date_span): every date a request carries (spans,
// `occurred`, `held`, `published`, report dates). Input: one span per line;
// the first two lines are parsed and checked against each other.
//
// Properties: a parsed span lies in years 1..9999 with first <= last; its
// canonical text parses back to the same span and text; its proto form
// names its days; Overlaps and Intersect agree and are symmetric;
// CheckDateSpan agrees with Parse; errors are plain ASCII.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/api/validation.h"
#include "common/model/date_span.h"
#include "tests/fuzz/fuzz_input.h"

namespace parley::fuzz {
namespace {

bool IsPrintableAscii(absl::string_view s) {
  for (char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

std::string Describe(const DateSpan& span) {
  return absl::StrCat(span.text(), " = ", FormatDay(span.first()), "..",
                      FormatDay(span.last()));
}

// Parses `text` and checks what must hold of one span; the span if valid.
std::optional<DateSpan> ParseAndCheck(absl::string_view text) {
  absl::StatusOr<DateSpan> span = DateSpan::Parse(text);
  FieldViolations violations;
  const std::optional<DateSpan> checked =
      CheckDateSpan(std::string(text), "span", /*required=*/false, &violations);
  if (!span.ok()) {
    PARLEY_FUZZ_CHECK(
        span.status().code() == absl::StatusCode::kInvalidArgument,
        span.status().ToString());
    PARLEY_FUZZ_CHECK(IsPrintableAscii(span.status().message()),
                      span.status().message());
    // Empty text is "no span" to CheckDateSpan, not an error.
    PARLEY_FUZZ_CHECK(!checked.has_value(), text);
    PARLEY_FUZZ_CHECK(text.empty() || !violations.empty(), text);
    return std::nullopt;
  }
  PARLEY_FUZZ_CHECK(checked.has_value() && *checked == *span, text);

  const DateSpan& s = *span;
  PARLEY_FUZZ_CHECK(s.first() <= s.last(), Describe(s));
  PARLEY_FUZZ_CHECK(s.length_days() >= 1, Describe(s));
  PARLEY_FUZZ_CHECK(s.first().year() >= 1 && s.last().year() <= 9999,
                    Describe(s));
  PARLEY_FUZZ_CHECK(s.Contains(s.first()) && s.Contains(s.last()), Describe(s));
  PARLEY_FUZZ_CHECK(IsPrintableAscii(s.text()), s.text());

  // Canonical text is a fixed point.
  absl::StatusOr<DateSpan> again = DateSpan::Parse(s.text());
  PARLEY_FUZZ_CHECK(again.ok(),
                    absl::StrCat(Describe(s), ": ", again.status().ToString()));
  PARLEY_FUZZ_CHECK(*again == s && again->text() == s.text(), Describe(s));

  // The proto's days are the span's, and each parses as that day.
  const auto proto = s.ToProto();
  PARLEY_FUZZ_CHECK(proto.text() == s.text() &&
                        proto.first_day() == FormatDay(s.first()) &&
                        proto.last_day() == FormatDay(s.last()),
                    proto.ShortDebugString());
  for (const absl::CivilDay day : {s.first(), s.last()}) {
    absl::StatusOr<DateSpan> one = DateSpan::Parse(FormatDay(day));
    PARLEY_FUZZ_CHECK(one.ok() && one->first() == day && one->last() == day,
                      FormatDay(day));
  }
  // The same days as a range of days.
  const DateSpan days = DateSpan::Days(s.first(), s.last());
  PARLEY_FUZZ_CHECK(days.first() == s.first() && days.last() == s.last() &&
                        days.length_days() == s.length_days(),
                    Describe(days));
  return *std::move(span);
}

void CheckPair(const DateSpan& a, const DateSpan& b) {
  const std::string both = absl::StrCat(Describe(a), " and ", Describe(b));
  PARLEY_FUZZ_CHECK(a.Overlaps(b) == b.Overlaps(a), both);
  DateSpan ab = a, ba = a;
  const bool has_ab = a.Intersect(b, &ab);
  const bool has_ba = b.Intersect(a, &ba);
  PARLEY_FUZZ_CHECK(has_ab == a.Overlaps(b) && has_ba == has_ab, both);
  if (!has_ab) return;
  PARLEY_FUZZ_CHECK(ab.first() == ba.first() && ab.last() == ba.last(), both);
  PARLEY_FUZZ_CHECK(ab.first() <= ab.last(), both);
  PARLEY_FUZZ_CHECK(a.Contains(ab.first()) && a.Contains(ab.last()) &&
                        b.Contains(ab.first()) && b.Contains(ab.last()),
                    both);
  // The intersection's text is a span of exactly its days.
  absl::StatusOr<DateSpan> reparsed = DateSpan::Parse(ab.text());
  PARLEY_FUZZ_CHECK(reparsed.ok() && reparsed->first() == ab.first() &&
                        reparsed->last() == ab.last(),
                    absl::StrCat(both, " -> ", ab.text()));
}

}  // namespace
}  // namespace parley::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parley::fuzz;  // NOLINT(build/namespaces)
  FuzzInput input(data, size);
  const absl::string_view first = input.TakeLine();
  const absl::string_view second = input.TakeLine();
  const std::optional<parley::DateSpan> a = ParseAndCheck(first);
  const std::optional<parley::DateSpan> b = ParseAndCheck(second);
  if (a.has_value() && b.has_value()) CheckPair(*a, *b);
  return 0;
}
