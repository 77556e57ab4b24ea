// Building a List query from a request's filters: each filter is checked
// (a bad one is a violation naming it) and becomes an index term, the span a
// date range.
#ifndef PARLEY_COMMON_SERVICE_LIST_FILTERS_H_
#define PARLEY_COMMON_SERVICE_LIST_FILTERS_H_

#include <string>

#include "absl/time/time.h"
#include "common/api/validation.h"
#include "common/base/status.h"
#include "common/store/collection.h"
#include "common/store/index_terms.h"
#include "google/protobuf/timestamp.pb.h"

namespace parley {

class ListFilters {
 public:
  ListFilters(int page_size, const std::string& span) {
    page_size_ = CheckPageSize(page_size, "page_size", &violations_);
    query_.span = CheckDateSpan(span, "span", false, &violations_);
  }

  // Call in order of selectivity: the first term drives the scan.
  void Country(const std::string& code, const std::string& field = "party") {
    if (code.empty()) return;
    CheckCountry(code, field, true, &violations_);
    AddTerm(&query_.terms, field, code);
  }

  template <typename E>
  void Enum(E value, const std::string& field) {
    CheckEnum(value, field, false, &violations_);
    AddEnumTerm(&query_.terms, field, static_cast<int>(value));
  }

  // A reference filter ("agreements/x"), indexed under `field`.
  void Name(const std::string& name, absl::string_view collection,
            const std::string& field) {
    if (name.empty()) return;
    CheckName(name, collection, field, true, &violations_);
    AddTerm(&query_.terms, field, name);
  }

  // Free text matched exactly (a region name), indexed under `field`.
  void Text(const std::string& value, const std::string& field) {
    if (value.empty()) return;
    CheckText(value, field, true, &violations_);
    AddTerm(&query_.terms, field, value);
  }

  // List as the store stood at this time.
  void ReadTime(bool has_read_time,
                const google::protobuf::Timestamp& read_time) {
    if (!has_read_time) return;
    CheckTimestamp(read_time, "read_time", &violations_);
    query_.read_time = absl::FromUnixSeconds(read_time.seconds()) +
                       absl::Nanoseconds(read_time.nanos());
  }

  // Records that name any of these records ("channels/x"), in any service.
  void About(const std::string& name, const std::string& field = "about") {
    if (name.empty()) return;
    CheckRecordName(name, field, &violations_);
    AddTerm(&query_.terms, field, name);
  }

  absl::Status status() const { return violations_.ToStatus(); }
  int page_size() const { return page_size_; }
  ListQuery& query() { return query_; }

 private:
  FieldViolations violations_;
  ListQuery query_;
  int page_size_ = kDefaultPageSize;
};

}  // namespace parley

#endif  // PARLEY_COMMON_SERVICE_LIST_FILTERS_H_
