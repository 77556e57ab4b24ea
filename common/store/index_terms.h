// Helpers for a schema's index terms and dates, alike in every domain.
#ifndef PARLEY_COMMON_STORE_INDEX_TERMS_H_
#define PARLEY_COMMON_STORE_INDEX_TERMS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/model/date_span.h"
#include "common/model/party.h"
#include "common/store/collection.h"
#include "parley/common/v1/party.pb.h"

namespace parley {

// Adds {index, value} unless the value is empty or the term is there.
inline void AddTerm(std::vector<IndexTerm>* terms, std::string index,
                    std::string value) {
  if (value.empty()) return;
  IndexTerm term{std::move(index), std::move(value)};
  for (const auto& t : *terms) {
    if (t == term) return;
  }
  terms->push_back(std::move(term));
}

// An enum filter's term: its number, so renaming a value keeps the index.
inline void AddEnumTerm(std::vector<IndexTerm>* terms, std::string index,
                        int value) {
  if (value != 0) AddTerm(terms, std::move(index), absl::StrCat(value));
}

inline void AddPartyTerm(std::vector<IndexTerm>* terms,
                         const ::parley::common::v1::Party& party) {
  AddTerm(terms, "party", PartyTerm(party));
}

}  // namespace parley

#endif  // PARLEY_COMMON_STORE_INDEX_TERMS_H_
