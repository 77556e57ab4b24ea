#include "services/negotiations/schema.h"

#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/model/date_span.h"
#include "common/model/keys.h"
#include "common/store/index_terms.h"
#include "parley/negotiations/v1/round.pb.h"
#include "parley/negotiations/v1/statement.pb.h"

namespace parley::negotiations {

using v1::Position;
using v1::Round;
using v1::Statement;

std::string PositionIdentity(const Position& p) {
  return absl::StrCat(PartyTerm(p.holder()), "|", p.stance(), "|",
                      absl::AsciiStrToLower(p.issue()), "|",
                      p.subject().country(), "|",
                      absl::AsciiStrToLower(p.subject().admin1()));
}

std::string SaidAboutPrefix(absl::string_view about) {
  std::string key = "said-about|";
  keys::AppendString(&key, about);
  return key;
}

std::string SaidAboutKey(absl::string_view about, absl::string_view speaker,
                         absl::CivilDay first) {
  std::string key = SaidAboutPrefix(about);
  keys::AppendString(&key, speaker);
  absl::StrAppend(&key, FormatDay(first));
  return key;
}

bool ParseSaidAbout(absl::string_view rest, std::string* speaker,
                    absl::CivilDay* first) {
  if (!keys::ConsumeString(&rest, speaker)) return false;
  // The rest is one day: "2026-01-24".
  auto day = DateSpan::Parse(rest);
  if (!day.ok() || day->length_days() != 1 || FormatDay(day->first()) != rest)
    return false;
  *first = day->first();
  return true;
}

const CollectionSchema& RoundSchema() {
  static const auto* schema = new CollectionSchema{
      .collection = "rounds",
      .prototype = &Round::default_instance(),
      .output_only_fields = {"held_span"},
      .index_terms =
          [](const Message& m) {
            const auto& r = static_cast<const Round&>(m);
            std::vector<IndexTerm> terms;
            for (const auto& p : r.parties()) AddPartyTerm(&terms, p);
            for (const auto& p : r.mediators()) AddPartyTerm(&terms, p);
            AddTerm(&terms, "venue_country", r.venue().country());
            AddEnumTerm(&terms, "format", r.format());
            return terms;
          },
      .date =
          [](const Message& m) {
            return StoredSpan(static_cast<const Round&>(m).held());
          },
  };
  return *schema;
}

const CollectionSchema& PositionSchema() {
  static const auto* schema = new CollectionSchema{
      .collection = "positions",
      .prototype = &Position::default_instance(),
      .output_only_fields = {"first_reported_span", "last_reported_span"},
      .index_terms =
          [](const Message& m) {
            const auto& p = static_cast<const Position&>(m);
            std::vector<IndexTerm> terms;
            AddPartyTerm(&terms, p.holder());
            AddEnumTerm(&terms, "state", p.state());
            AddEnumTerm(&terms, "stance", p.stance());
            AddTerm(&terms, "issue", absl::AsciiStrToLower(p.issue()));
            AddTerm(&terms, "identity", PositionIdentity(p));
            return terms;
          },
      // A position stands from its first report to its last.
      .date = [](const Message& m) -> std::optional<DateSpan> {
        const auto& p = static_cast<const Position&>(m);
        auto first = StoredSpan(p.first_reported());
        auto last = StoredSpan(p.last_reported());
        if (!first.has_value()) return std::nullopt;
        if (!last.has_value() || last->last() < first->last()) return first;
        return DateSpan::Days(first->first(), last->last());
      },
  };
  return *schema;
}

const CollectionSchema& StatementSchema() {
  static const auto* schema = new CollectionSchema{
      .collection = "statements",
      .prototype = &Statement::default_instance(),
      .output_only_fields = {"made_span"},
      .index_terms =
          [](const Message& m) {
            const auto& s = static_cast<const Statement&>(m);
            std::vector<IndexTerm> terms;
            AddPartyTerm(&terms, s.speaker());
            AddEnumTerm(&terms, "kind", s.kind());
            for (const auto& about : s.about()) AddTerm(&terms, "about", about);
            return terms;
          },
      .date =
          [](const Message& m) {
            return StoredSpan(static_cast<const Statement&>(m).made());
          },
      // A count per record spoken about, speaker and first day: what
      // SummarizeStatements reads instead of the statements.
      .rollups =
          [](const Message& m, int sign, RollupDeltas* deltas) {
            const auto& s = static_cast<const Statement&>(m);
            auto made = StoredSpan(s.made());
            if (!made.has_value()) return;
            const std::string speaker = PartyTerm(s.speaker());
            absl::flat_hash_set<std::string> counted;
            for (const auto& about : s.about()) {
              if (!counted.insert(about).second) continue;
              auto& count =
                  (*deltas)[SaidAboutKey(about, speaker, made->first())];
              count.set_count(count.count() + sign);
            }
          },
      // 2: counts of statements about a record.
      .rollups_version = 2,
  };
  return *schema;
}

}  // namespace parley::negotiations
