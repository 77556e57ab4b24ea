// How negotiations records are laid out in the store: what each is indexed
// by and its date.
#ifndef PARLEY_SERVICES_NEGOTIATIONS_SCHEMA_H_
#define PARLEY_SERVICES_NEGOTIATIONS_SCHEMA_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/store/collection.h"
#include "parley/negotiations/v1/position.pb.h"

namespace parley::negotiations {

const CollectionSchema& RoundSchema();
const CollectionSchema& PositionSchema();
const CollectionSchema& StatementSchema();

// What makes two reports the same position: holder, stance, issue and
// subject. Indexed as "identity", so ReportPosition finds it in one seek.
std::string PositionIdentity(const v1::Position& position);

// Statements about a record are counted per speaker and per first day of
// `made` in rollups: "said-about|" <about> <speaker> <day>. The prefix of
// one record's counts (every speaker), and one count's key.
std::string SaidAboutPrefix(absl::string_view about);
std::string SaidAboutKey(absl::string_view about, absl::string_view speaker,
                         absl::CivilDay first);
// The speaker's term and the day of a key's rest after the prefix; false if
// malformed.
bool ParseSaidAbout(absl::string_view rest, std::string* speaker,
                    absl::CivilDay* first);

}  // namespace parley::negotiations

#endif  // PARLEY_SERVICES_NEGOTIATIONS_SCHEMA_H_
