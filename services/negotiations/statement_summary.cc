// SummarizeStatements: per speaker, how many statements about a record were
// made by a day, and the latest few. Now, from the said-about rollups and
// the days they name; at a past read_time, from the history.
#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "common/api/validation.h"
#include "common/base/status.h"
#include "common/model/keys.h"
#include "common/model/party.h"
#include "common/service/list_filters.h"
#include "common/store/index_terms.h"
#include "services/negotiations/domain.h"
#include "services/negotiations/schema.h"

namespace parley::negotiations {
namespace {

constexpr int kDefaultPerSpeaker = 10;
constexpr int kMaxPerSpeaker = 100;
// Records per page of the listings read here.
constexpr int kPage = 1000;

absl::CivilDay FirstDay(const v1::Statement& s) {
  return StoredSpan(s.made())->first();
}

// Newest first: by the first day of `made`, then by name.
bool NewestFirst(const v1::Statement& a, const v1::Statement& b) {
  const absl::CivilDay da = FirstDay(a), db = FirstDay(b);
  if (da != db) return da > db;
  return a.metadata().name() < b.metadata().name();
}

bool Mentions(const v1::Statement& s, const std::string& about) {
  return std::find(s.about().begin(), s.about().end(), about) !=
         s.about().end();
}

// One speaker's count and latest statements, kept to `limit` as they come.
struct Said {
  int64_t count = 0;
  std::vector<v1::Statement> latest;
  void Keep(v1::Statement s, int limit) {
    latest.push_back(std::move(s));
    std::sort(latest.begin(), latest.end(), NewestFirst);
    if (latest.size() > static_cast<size_t>(limit)) latest.pop_back();
  }
};

void Answer(std::map<std::string, Said>& by_speaker,
            v1::SummarizeStatementsResponse* out) {
  for (auto& [speaker, said] : by_speaker) {
    if (said.count == 0) continue;
    v1::SpeakerStatements* s = out->add_speakers();
    *s->mutable_speaker() = PartyFromTerm(speaker);
    s->set_statement_count(static_cast<int32_t>(said.count));
    for (auto& statement : said.latest) {
      *s->add_statements() = std::move(statement);
    }
  }
}

// Every listed record, page by page.
absl::Status ListEach(Collection& collection, ListQuery query,
                      const std::function<void(v1::Statement)>& fn) {
  query.page_size = kPage;
  for (;;) {
    ASSIGN_OR_RETURN(ListResult page, collection.List(query));
    for (auto& record : page.records) {
      fn(std::move(static_cast<v1::Statement&>(*record)));
    }
    if (!page.next.has_value()) return absl::OkStatus();
    query.resume = page.next;
  }
}

}  // namespace

absl::Status Negotiations::SummarizeStatements(
    const v1::SummarizeStatementsRequest& r,
    v1::SummarizeStatementsResponse* out) {
  FieldViolations v;
  if (r.about().empty()) {
    v.Add("about", "is required");
  } else {
    CheckRecordName(r.about(), "about", &v);
  }
  std::optional<DateSpan> as_of;
  if (!r.as_of().empty()) as_of = CheckDateSpan(r.as_of(), "as_of", true, &v);
  if (r.statements_per_speaker() < 0 ||
      r.statements_per_speaker() > kMaxPerSpeaker) {
    v.Add("statements_per_speaker",
          absl::StrCat("must be 0 (for ", kDefaultPerSpeaker, ") to ",
                       kMaxPerSpeaker));
  }
  if (r.has_read_time()) CheckTimestamp(r.read_time(), "read_time", &v);
  RETURN_IF_ERROR(v.ToStatus());
  const int limit = r.statements_per_speaker() > 0 ? r.statements_per_speaker()
                                                   : kDefaultPerSpeaker;
  const auto counts = [&](const v1::Statement& s) {
    if (!StoredSpan(s.made()).has_value()) return false;
    return !as_of.has_value() || FirstDay(s) <= as_of->last();
  };
  std::map<std::string, Said> by_speaker;

  if (r.has_read_time()) {
    // The store as it stood: every statement about the record then, as
    // ListStatements would list them.
    ListFilters filters(kPage, "");
    filters.ReadTime(true, r.read_time());
    filters.About(r.about());
    RETURN_IF_ERROR(filters.status());
    RETURN_IF_ERROR(ListEach(statements(), std::move(filters.query()),
                             [&](v1::Statement s) {
                               if (!counts(s)) return;
                               Said& said = by_speaker[PartyTerm(s.speaker())];
                               ++said.count;
                               said.Keep(std::move(s), limit);
                             }));
    Answer(by_speaker, out);
    return absl::OkStatus();
  }

  // Now: the counts per speaker and day, then the statements of each
  // speaker's newest days until `limit` are found.
  const std::string prefix = SaidAboutPrefix(r.about());
  std::map<std::string, std::map<absl::CivilDay, int64_t>> days;
  absl::Status malformed;
  RETURN_IF_ERROR(statements().ScanRollups(
      prefix, keys::PrefixSuccessor(prefix),
      [&](absl::string_view key, const model::v1::RollupValue& value) {
        std::string speaker;
        absl::CivilDay first;
        if (!ParseSaidAbout(key.substr(prefix.size()), &speaker, &first)) {
          malformed = absl::DataLossError(
              absl::StrCat("statements rollup key is malformed: ", key));
          return;
        }
        if (value.count() <= 0) return;  // all deleted again
        if (as_of.has_value() && first > as_of->last()) return;
        days[speaker][first] = value.count();
        by_speaker[speaker].count += value.count();
      }));
  RETURN_IF_ERROR(malformed);
  for (auto& [term, by_day] : days) {
    // A name of its own: clang 14 cannot capture a structured binding in
    // a lambda (C++20 allows it; clang 16 does).
    const std::string& speaker = term;
    Said& said = by_speaker[speaker];
    int64_t found = 0;
    for (auto it = by_day.rbegin(); it != by_day.rend() && found < limit;
         ++it) {
      found += it->second;
      // The statements made from that day: a span scan of one day, those
      // that begin on it, by this speaker, about the record.
      const absl::CivilDay day = it->first;
      ListQuery query;
      query.span = DateSpan::Days(day, day);
      query.matches = [&, day](const Message& m) {
        const auto& s = static_cast<const v1::Statement&>(m);
        return FirstDay(s) == day && PartyTerm(s.speaker()) == speaker &&
               Mentions(s, r.about());
      };
      RETURN_IF_ERROR(ListEach(statements(), query, [&](v1::Statement s) {
        said.Keep(std::move(s), limit);
      }));
    }
  }
  Answer(by_speaker, out);
  return absl::OkStatus();
}

}  // namespace parley::negotiations
