#include "tests/bench/loadgen_requests.h"

#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/empty.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "parley/reports/v1/reports_service.pb.h"

namespace parley::bench {
namespace {

namespace ex = ::parley::exchanges::v1;
namespace cm = ::parley::common::v1;
namespace rp = ::parley::reports::v1;

struct MethodInfo {
  Method method;
  const char* name;
  const char* path;
};

constexpr std::array<MethodInfo, 6> kMethods = {{
    {Method::kCreateExchange, "create_exchange",
     "/parley.exchanges.v1.ExchangesService/CreateExchange"},
    {Method::kGetAgreement, "get_agreement",
     "/parley.exchanges.v1.ExchangesService/GetAgreement"},
    {Method::kListExchanges, "list_exchanges",
     "/parley.exchanges.v1.ExchangesService/ListExchanges"},
    {Method::kAgreementProgress, "agreement_progress",
     "/parley.reports.v1.ReportService/GetAgreementProgress"},
    {Method::kSummary, "summary",
     "/parley.reports.v1.ReportService/GetSummary"},
    {Method::kEmpty, "empty", "/parley.bench.Empty/Call"},
}};

const MethodInfo& Info(Method method) {
  for (const MethodInfo& info : kMethods) {
    if (info.method == method) return info;
  }
  return kMethods[0];
}

// Days from 2025-01-01 to 2026-01-31, both included.
constexpr int64_t kDays = 396;

// Ids are at most 63 characters; "-<n>" takes up to 21.
constexpr size_t kMaxIdPrefix = 40;

// Plain text of about `size` bytes.
std::string Filler(size_t size) {
  static constexpr absl::string_view kSentence =
      "Both sides confirmed the transfer through their ombudsmen; the "
      "numbers were checked against the lists handed over by the mediator. ";
  std::string text;
  while (text.size() + kSentence.size() <= size)
    absl::StrAppend(&text, kSentence);
  return text;
}

void SetParty(cm::Party* party, const char* country) {
  party->set_country(country);
}

void AddTransfer(ex::Exchange* e, const char* from, const char* to,
                 ex::Category category) {
  ex::Transfer* t = e->add_transfers();
  SetParty(t->mutable_from_party(), from);
  SetParty(t->mutable_to_party(), to);
  t->set_category(category);
  t->mutable_count()->set_best(1);
  t->mutable_count()->set_qualifier(cm::Estimate::QUALIFIER_EXACT);
}

// The create template: like the seed week's repatriation (two transfers,
// one attributed source), or, large, eight transfers (both directions of
// four categories), eight sources with long excerpts and a description.
ex::CreateExchangeRequest CreateTemplate(const RequestOptions& options) {
  ex::CreateExchangeRequest r;
  ex::Exchange* e = r.mutable_exchange();
  e->set_agreement(options.agreement);
  if (!options.large) {
    e->set_kind(ex::EXCHANGE_KIND_REPATRIATION_OF_REMAINS);
    AddTransfer(e, "RU", "UA", ex::CATEGORY_REMAINS);
    AddTransfer(e, "UA", "RU", ex::CATEGORY_REMAINS);
    cm::Source* s = e->add_sources();
    s->set_publisher("parley-loadgen");
    cm::Party* by = s->mutable_attributed_to();
    by->set_person("Vladimir Medinsky");
    by->set_role("chief negotiator");
    by->set_country("RU");
    s->set_channel("Telegram post");
    s->set_reliability(cm::Source::RELIABILITY_CONFIRMED);
    return r;
  }
  e->set_kind(ex::EXCHANGE_KIND_PRISONER_EXCHANGE);
  for (ex::Category category :
       {ex::CATEGORY_REMAINS, ex::CATEGORY_PRISONERS_OF_WAR,
        ex::CATEGORY_WOUNDED_PRISONERS, ex::CATEGORY_CIVILIANS}) {
    AddTransfer(e, "RU", "UA", category);
    AddTransfer(e, "UA", "RU", category);
  }
  e->mutable_place()->set_country("BY");
  e->mutable_place()->set_precision(cm::Place::PRECISION_COUNTRY);
  SetParty(e->add_intermediaries(), "AE");
  const std::string excerpt = Filler(400);
  for (int i = 0; i < 8; ++i) {
    cm::Source* s = e->add_sources();
    s->set_publisher(absl::StrCat("Bench News ", i));
    s->set_channel("news report");
    s->set_published("2026-W05");
    s->set_url(absl::StrCat("https://news.example/bench/", i));
    s->set_reliability(cm::Source::RELIABILITY_REPORTED);
    s->set_excerpt(excerpt);
  }
  e->set_description(Filler(3000));
  return r;
}

}  // namespace

std::optional<Method> ParseMethod(absl::string_view name) {
  for (const MethodInfo& info : kMethods) {
    if (name == info.name) return info.method;
  }
  return std::nullopt;
}

const char* MethodName(Method method) { return Info(method).name; }
const char* MethodPath(Method method) { return Info(method).path; }

const char* MethodNames() {
  return "create_exchange|get_agreement|list_exchanges|agreement_progress|"
         "summary|empty";
}

bool IsReport(Method method) {
  return method == Method::kAgreementProgress || method == Method::kSummary;
}

std::vector<std::string> MissingSections(Method method,
                                         const std::string& response) {
  using google::protobuf::internal::WireFormatLite;
  static_assert(
      static_cast<int>(rp::GetAgreementProgressResponse::kMissingFieldNumber) ==
      static_cast<int>(rp::GetSummaryResponse::kMissingFieldNumber));
  if (!IsReport(method)) return {};
  // Only the top level is walked: the rest is skipped, not parsed, so that
  // checking every response costs the client little.
  const uint32_t missing_tag =
      WireFormatLite::MakeTag(rp::GetSummaryResponse::kMissingFieldNumber,
                              WireFormatLite::WIRETYPE_LENGTH_DELIMITED);
  google::protobuf::io::CodedInputStream in(
      reinterpret_cast<const uint8_t*>(response.data()),
      static_cast<int>(response.size()));
  std::vector<std::string> out;
  while (const uint32_t tag = in.ReadTag()) {
    if (tag == missing_tag) {
      uint32_t length = 0;
      rp::MissingSection m;
      if (!in.ReadVarint32(&length)) return {"the response is unreadable"};
      const auto limit = in.PushLimit(static_cast<int>(length));
      if (!m.ParseFromCodedStream(&in) || !in.ConsumedEntireMessage())
        return {"the response is unreadable"};
      in.PopLimit(limit);
      out.push_back(absl::StrCat(m.section(), ": ", m.reason()));
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return {"the response is unreadable"};
    }
  }
  return out;
}

std::string OccurredDay(uint64_t n) {
  const absl::CivilDay day =
      absl::CivilDay(2025, 1, 1) + static_cast<int64_t>(n % kDays);
  if (n % 10 != 0) return absl::FormatCivilTime(day);
  // One in ten known only to a longer span, as real reports are: its ISO
  // week, its month, or two or three days from it.
  switch ((n / 10) % 3) {
    case 0: {
      // The ISO week holding `day`: its Thursday names the year.
      const absl::CivilDay thursday =
          day + (3 - (static_cast<int>(absl::GetWeekday(day)) + 7) % 7);
      const absl::CivilDay jan4(thursday.year(), 1, 4);
      const absl::CivilDay week1_monday =
          jan4 - static_cast<int>(absl::GetWeekday(jan4));
      return absl::StrFormat("%04d-W%02d", thursday.year(),
                             (day - week1_monday) / 7 + 1);
    }
    case 1:
      return absl::StrFormat("%04d-%02d", day.year(), day.month());
    default:
      return absl::StrCat(absl::FormatCivilTime(day), "/",
                          absl::FormatCivilTime(day + 1 + (n / 30) % 2));
  }
}

bool IsValidIdPrefix(absl::string_view prefix) {
  if (prefix.empty() || prefix.size() > kMaxIdPrefix || prefix.front() == '-')
    return false;
  for (char c : prefix) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-'))
      return false;
  }
  return true;
}

std::optional<std::string> AgreementId(absl::string_view name) {
  constexpr absl::string_view kPrefix = "agreements/";
  if (!absl::StartsWith(name, kPrefix)) return std::nullopt;
  absl::string_view id = name.substr(kPrefix.size());
  if (id.empty() || id.size() > 63 || id.front() == '-') return std::nullopt;
  for (char c : id) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-'))
      return std::nullopt;
  }
  return std::string(id);
}

exchanges::v1::CreateAgreementRequest BenchAgreementRequest(
    absl::string_view agreement_name) {
  ex::CreateAgreementRequest r;
  const std::string id = AgreementId(agreement_name).value_or("");
  r.set_agreement_id(id);
  r.set_request_id(absl::StrCat("bench-agreement-", id));
  ex::Agreement* a = r.mutable_agreement();
  a->set_title("Benchmark agreement (parley-loadgen)");
  a->set_concluded("2025");
  SetParty(a->add_parties(), "RU");
  SetParty(a->add_parties(), "UA");
  ex::Term* term = a->add_terms();
  term->set_category(ex::CATEGORY_REMAINS);
  term->mutable_quota()->set_best(12000);
  term->mutable_quota()->set_qualifier(cm::Estimate::QUALIFIER_EXACT);
  cm::Source* s = a->add_sources();
  s->set_publisher("parley-loadgen");
  s->set_reliability(cm::Source::RELIABILITY_REPORTED);
  return r;
}

Requests::Requests(Method method, const RequestOptions& options)
    : method_(method), id_prefix_(options.id_prefix) {
  switch (method) {
    case Method::kCreateExchange:
      create_ = CreateTemplate(options);
      break;
    case Method::kGetAgreement: {
      ex::GetAgreementRequest r;
      r.set_name(options.agreement);
      bytes_ = r.SerializeAsString();
      break;
    }
    case Method::kListExchanges: {
      ex::ListExchangesRequest r;
      r.set_page_size(50);
      bytes_ = r.SerializeAsString();
      break;
    }
    case Method::kAgreementProgress: {
      rp::GetAgreementProgressRequest r;
      r.set_agreement(options.agreement);
      bytes_ = r.SerializeAsString();
      break;
    }
    case Method::kSummary: {
      rp::GetSummaryRequest r;
      r.set_span(options.span);
      bytes_ = r.SerializeAsString();
      break;
    }
    case Method::kEmpty:
      bytes_ = google::protobuf::Empty().SerializeAsString();
      break;
  }
}

const std::string& Requests::Next(uint64_t n) {
  if (method_ != Method::kCreateExchange) return bytes_;
  const std::string id = absl::StrCat(id_prefix_, "-", n);
  create_.set_exchange_id(id);
  create_.set_request_id(id);
  ex::Exchange* e = create_.mutable_exchange();
  e->set_occurred(OccurredDay(n));
  // Counts that vary, so the totals the reports add up are not all alike.
  for (int i = 0; i < e->transfers_size(); ++i) {
    e->mutable_transfers(i)->mutable_count()->set_best(
        1 + static_cast<int64_t>((n * 7 + i) % 50));
  }
  bytes_.clear();
  create_.SerializeToString(&bytes_);
  return bytes_;
}

}  // namespace parley::bench
