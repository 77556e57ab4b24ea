// Structure-aware mutation for the targets whose input holds a protobuf
// message (libFuzzer's LLVMFuzzerCustomMutator): one change made through
// reflection (a number set to a boundary, a string's bytes mutated by
// libFuzzer or taken from a dictionary, an element added or removed, a
// sub-message changed), then serialized again, so that the lengths that
// frame every field stay right and a change deep in a record reaches the
// validation behind the parse. Byte-level mutation still runs for a share of
// the inputs, for the bytes that do not parse.
//
// Used only by the libFuzzer build (PARLEY_LIBFUZZER): the replay build has
// no LLVMFuzzerMutate.
#ifndef PARLEY_TESTS_FUZZ_PROTO_MUTATOR_H_
#define PARLEY_TESTS_FUZZ_PROTO_MUTATOR_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace parley::fuzz {

class ProtoMutator {
 public:
  // `dictionary`: strings worth trying in any string field (names, dates,
  // country codes of the seed week); must outlive the mutator.
  ProtoMutator(unsigned seed, const std::vector<std::string>* dictionary)
      : rng_(seed), dictionary_(dictionary) {}

  // One change somewhere in `message`.
  void Mutate(google::protobuf::Message* message) {
    // Bounds the recursion through MutateField, whatever the types.
    if (++depth_ > 16) return;
    google::protobuf::Message* at = message;
    // Walk down into set sub-messages, each step with even odds.
    for (int depth = 0; depth < 8 && Chance(2); ++depth) {
      google::protobuf::Message* child = SomeChild(at);
      if (child == nullptr) break;
      at = child;
    }
    const auto* type = at->GetDescriptor();
    if (type->field_count() > 0) {
      MutateField(at, type->field(Below(type->field_count())));
    }
    --depth_;
  }

  uint64_t Below(uint64_t n) { return n == 0 ? 0 : rng_() % n; }
  bool Chance(int one_in) { return Below(one_in) == 0; }

 private:
  using Message = google::protobuf::Message;
  using FieldDescriptor = google::protobuf::FieldDescriptor;

  Message* SomeChild(Message* m) {
    std::vector<const FieldDescriptor*> set;
    m->GetReflection()->ListFields(*m, &set);
    std::vector<const FieldDescriptor*> messages;
    for (const auto* f : set) {
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        messages.push_back(f);
      }
    }
    if (messages.empty()) return nullptr;
    const FieldDescriptor* f = messages[Below(messages.size())];
    const auto* r = m->GetReflection();
    if (!f->is_repeated()) return r->MutableMessage(m, f);
    return r->MutableRepeatedMessage(m, f, Below(r->FieldSize(*m, f)));
  }

  int64_t Number() {
    static constexpr int64_t kInteresting[] = {
        0,
        1,
        -1,
        2,
        5,
        7,
        12,
        31,
        52,
        53,
        59,
        60,
        255,
        256,
        500,
        501,
        1000,
        4096,
        4097,
        65535,
        std::numeric_limits<int32_t>::max(),
        std::numeric_limits<int32_t>::min(),
        int64_t{1} << 32,
        1'000'000'000'000,
        1'000'000'000'001,
        int64_t{1} << 62,
        std::numeric_limits<int64_t>::max(),
        std::numeric_limits<int64_t>::min(),
        253402300799,  // 9999-12-31T23:59:59Z
        -62135596800,  // 0001-01-01T00:00:00Z
        1767225600,    // 2026-01-01
        999999999,
    };
    switch (Below(3)) {
      case 0:
        return kInteresting[Below(std::size(kInteresting))];
      case 1:
        return static_cast<int64_t>(Below(2000)) - 1000;
      default:
        return static_cast<int64_t>(rng_());
    }
  }

  std::string String(const std::string& current) {
    switch (Below(5)) {
      case 0:
        return "";
      case 1:
      case 2:
        if (!dictionary_->empty()) {
          return (*dictionary_)[Below(dictionary_->size())];
        }
        [[fallthrough]];
      case 3: {
        // libFuzzer's own mutation of the string's bytes.
        std::string bytes = current;
        const size_t max = std::min<size_t>(2 * bytes.size() + 32, 8192);
        bytes.resize(max);
        bytes.resize(LLVMFuzzerMutate(reinterpret_cast<uint8_t*>(bytes.data()),
                                      current.size(), max));
        return bytes;
      }
      default:
        return current + (dictionary_->empty()
                              ? std::string("x")
                              : (*dictionary_)[Below(dictionary_->size())]);
    }
  }

  void MutateField(Message* m, const FieldDescriptor* f) {
    const auto* r = m->GetReflection();
    if (f->is_repeated()) {
      const int size = r->FieldSize(*m, f);
      if (size > 0 && Chance(3)) {
        // Remove one (the last, after moving a random one there).
        r->SwapElements(m, f, static_cast<int>(Below(size)), size - 1);
        r->RemoveLast(m, f);
        return;
      }
      if (size > 0 && Chance(2)) {
        MutateElement(m, f, static_cast<int>(Below(size)));
        return;
      }
      AddElement(m, f);
      return;
    }
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_MESSAGE:
        if (r->HasField(*m, f) && Chance(4)) {
          r->ClearField(m, f);
        } else {
          Mutate(r->MutableMessage(m, f));
        }
        return;
      case FieldDescriptor::CPPTYPE_STRING:
        r->SetString(m, f, String(r->GetString(*m, f)));
        return;
      case FieldDescriptor::CPPTYPE_BOOL:
        r->SetBool(m, f, !r->GetBool(*m, f));
        return;
      case FieldDescriptor::CPPTYPE_ENUM:
        r->SetEnumValue(m, f, EnumValue(f));
        return;
      case FieldDescriptor::CPPTYPE_INT32:
        r->SetInt32(m, f, static_cast<int32_t>(Number()));
        return;
      case FieldDescriptor::CPPTYPE_INT64:
        r->SetInt64(m, f, Number());
        return;
      case FieldDescriptor::CPPTYPE_UINT32:
        r->SetUInt32(m, f, static_cast<uint32_t>(Number()));
        return;
      case FieldDescriptor::CPPTYPE_UINT64:
        r->SetUInt64(m, f, static_cast<uint64_t>(Number()));
        return;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        r->SetDouble(m, f, static_cast<double>(Number()));
        return;
      case FieldDescriptor::CPPTYPE_FLOAT:
        r->SetFloat(m, f, static_cast<float>(Number()));
        return;
    }
  }

  int EnumValue(const FieldDescriptor* f) {
    const auto* e = f->enum_type();
    if (Chance(8)) return static_cast<int>(Below(100));  // unknown too
    return e->value(static_cast<int>(Below(e->value_count())))->number();
  }

  void AddElement(Message* m, const FieldDescriptor* f) {
    const auto* r = m->GetReflection();
    const int size = r->FieldSize(*m, f);
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_MESSAGE: {
        Message* added = r->AddMessage(m, f);
        if (size > 0 && Chance(2)) {
          added->CopyFrom(r->GetRepeatedMessage(*m, f, Below(size)));
        }
        Mutate(added);
        return;
      }
      case FieldDescriptor::CPPTYPE_STRING:
        r->AddString(m, f, String(""));
        return;
      case FieldDescriptor::CPPTYPE_ENUM:
        r->AddEnumValue(m, f, EnumValue(f));
        return;
      case FieldDescriptor::CPPTYPE_INT32:
        r->AddInt32(m, f, static_cast<int32_t>(Number()));
        return;
      case FieldDescriptor::CPPTYPE_INT64:
        r->AddInt64(m, f, Number());
        return;
      default:
        return;  // No repeated field of ours has another type.
    }
  }

  void MutateElement(Message* m, const FieldDescriptor* f, int i) {
    const auto* r = m->GetReflection();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_MESSAGE:
        Mutate(r->MutableRepeatedMessage(m, f, i));
        return;
      case FieldDescriptor::CPPTYPE_STRING:
        r->SetRepeatedString(m, f, i, String(r->GetRepeatedString(*m, f, i)));
        return;
      case FieldDescriptor::CPPTYPE_ENUM:
        r->SetRepeatedEnumValue(m, f, i, EnumValue(f));
        return;
      case FieldDescriptor::CPPTYPE_INT32:
        r->SetRepeatedInt32(m, f, i, static_cast<int32_t>(Number()));
        return;
      case FieldDescriptor::CPPTYPE_INT64:
        r->SetRepeatedInt64(m, f, i, Number());
        return;
      default:
        return;
    }
  }

  std::mt19937_64 rng_;
  const std::vector<std::string>* dictionary_;
  int depth_ = 0;
};

// Writes `bytes` over the input (at most `max_size`); its new size, or 0 if
// it does not fit.
inline size_t Replace(const std::string& bytes, uint8_t* data,
                      size_t max_size) {
  if (bytes.size() > max_size) return 0;
  std::memcpy(data, bytes.data(), bytes.size());
  return bytes.size();
}

}  // namespace parley::fuzz

#endif  // PARLEY_TESTS_FUZZ_PROTO_MUTATOR_H_
