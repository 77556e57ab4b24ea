// What collection.cc and collection_batch.cc share: the pieces of a
// record's write. Not for use outside common/store.
#ifndef PARLEY_COMMON_STORE_COLLECTION_INTERNAL_H_
#define PARLEY_COMMON_STORE_COLLECTION_INTERNAL_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "parley/common/v1/metadata.pb.h"

namespace parley::collection_internal {

void SetTimestamp(absl::Time t, google::protobuf::Timestamp* ts);
absl::Time FromTimestamp(const google::protobuf::Timestamp& ts);
// A fresh record id: 12 of [a-z0-9].
std::string GenerateId();
std::string MakeEtag(const ::parley::common::v1::Metadata& m);
std::string Serialize(const google::protobuf::Message& record);
// Fields whose values differ between two records, metadata aside; every
// field set in `after` if `before` is null.
std::vector<std::string> ChangedFields(const google::protobuf::Message* before,
                                       const google::protobuf::Message& after);
// Where a record's history starts in Cf::kIndexes; each revision's key is
// this and the revision (keys::AppendUint64).
std::string HistoryPrefixOf(absl::string_view collection, absl::string_view id);

}  // namespace parley::collection_internal

#endif  // PARLEY_COMMON_STORE_COLLECTION_INTERNAL_H_
