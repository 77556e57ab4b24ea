#include "common/store/insert_hints.h"

#include <cstring>
#include <string>

namespace parley {
namespace {

// Bytes of the keys::AppendString segment at the front of `key` (its
// terminator 0x00 0x01 included; an escaped 0x00 is 0x00 0xFF), or 0 if
// there is none.
size_t SegmentLength(const rocksdb::Slice& key, size_t from) {
  const char* data = key.data();
  for (size_t i = from; i + 1 < key.size(); ++i) {
    if (data[i] != '\0') continue;
    if (data[i + 1] == '\1') return i + 2 - from;
    ++i;  // an escaped zero
  }
  return 0;
}

// The length of the stream prefix of `key`, or 0 for a key of no stream.
using StreamOf = size_t (*)(const rocksdb::Slice& key);

size_t RecordStream(const rocksdb::Slice& key) { return SegmentLength(key, 0); }

size_t IndexStream(const rocksdb::Slice& key) {
  const size_t collection = SegmentLength(key, 0);
  if (collection == 0 || collection >= key.size()) return 0;
  switch (key[collection]) {
    case 'd':
    case 'h':
      return collection + 1;
    case 't': {
      const size_t index = SegmentLength(key, collection + 1);
      if (index == 0) return 0;
      const size_t value = SegmentLength(key, collection + 1 + index);
      return value == 0 ? 0 : collection + 1 + index + value;
    }
    default:
      return 0;
  }
}

class StreamTransform final : public rocksdb::SliceTransform {
 public:
  StreamTransform(const char* name, StreamOf stream)
      : name_(name), stream_(stream) {}
  const char* Name() const override { return name_; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    return rocksdb::Slice(key.data(), stream_(key));
  }
  bool InDomain(const rocksdb::Slice& key) const override {
    return stream_(key) > 0;
  }

 private:
  const char* name_;
  StreamOf stream_;
};

}  // namespace

std::shared_ptr<const rocksdb::SliceTransform> RecordStreams() {
  static const auto* transform =
      new std::shared_ptr<const rocksdb::SliceTransform>(
          std::make_shared<StreamTransform>("parley.RecordStreams",
                                            RecordStream));
  return *transform;
}

std::shared_ptr<const rocksdb::SliceTransform> IndexStreams() {
  static const auto* transform =
      new std::shared_ptr<const rocksdb::SliceTransform>(
          std::make_shared<StreamTransform>("parley.IndexStreams",
                                            IndexStream));
  return *transform;
}

}  // namespace parley
