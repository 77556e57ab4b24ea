// The key streams memtable insert hints are kept by: each must be the part
// of a key its neighbours in a bulk import share, and a key of no known
// layout takes no hint.
#include "common/store/insert_hints.h"

#include <string>

#include "common/model/keys.h"
#include "gtest/gtest.h"

namespace parley {
namespace {

std::string Segments(std::initializer_list<std::string> parts) {
  std::string key;
  for (const std::string& part : parts) keys::AppendString(&key, part);
  return key;
}

std::string StreamOf(const rocksdb::SliceTransform& streams,
                     const std::string& key) {
  if (!streams.InDomain(key)) return "(none)";
  return streams.Transform(key).ToString();
}

TEST(InsertHintsTest, IndexTermEntriesShareTheirTerm) {
  const std::string term =
      Segments({"incidents"}) + "t" + Segments({"region", "UA-63"});
  EXPECT_EQ(StreamOf(*IndexStreams(), term + Segments({"UKR1"})), term);
  EXPECT_EQ(StreamOf(*IndexStreams(), term + Segments({"UKR2"})), term);
  const std::string other =
      Segments({"incidents"}) + "t" + Segments({"region", "UA-65"});
  EXPECT_EQ(StreamOf(*IndexStreams(), other + Segments({"UKR1"})), other);
}

TEST(InsertHintsTest, DatesAndHistoryAreOneStreamPerCollection) {
  std::string date = Segments({"incidents"}) + "d";
  keys::AppendInt64(&date, 20250);
  keys::AppendString(&date, "UKR1");
  EXPECT_EQ(StreamOf(*IndexStreams(), date), Segments({"incidents"}) + "d");
  // A revision number's bytes (00 .. 01) look like a segment's end: the
  // stream must not depend on them.
  std::string history = Segments({"incidents", "UKR1"});
  history.insert(Segments({"incidents"}).size(), "h");
  keys::AppendUint64(&history, 1);
  EXPECT_EQ(StreamOf(*IndexStreams(), history), Segments({"incidents"}) + "h");
}

TEST(InsertHintsTest, EscapedZerosStayInsideTheirSegment) {
  const std::string collection = Segments({std::string("a\0b", 3)});
  const std::string term =
      collection + "t" + Segments({std::string("x\0", 2), "y"});
  EXPECT_EQ(StreamOf(*IndexStreams(), term + Segments({"id"})), term);
  EXPECT_EQ(StreamOf(*RecordStreams(), collection + Segments({"id"})),
            collection);
}

TEST(InsertHintsTest, KeysOfNoKnownLayoutTakeNoHint) {
  EXPECT_EQ(StreamOf(*IndexStreams(), ""), "(none)");
  EXPECT_EQ(StreamOf(*IndexStreams(), "no terminator"), "(none)");
  EXPECT_EQ(StreamOf(*IndexStreams(), Segments({"incidents"})), "(none)");
  EXPECT_EQ(StreamOf(*IndexStreams(), Segments({"incidents"}) + "z1"),
            "(none)");
  // A term key cut short: its index but no value.
  EXPECT_EQ(StreamOf(*IndexStreams(),
                     Segments({"incidents"}) + "t" + Segments({"region"})),
            "(none)");
  EXPECT_EQ(StreamOf(*RecordStreams(), "no terminator"), "(none)");
}

}  // namespace
}  // namespace parley
