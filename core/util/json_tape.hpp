// The structure of a JSON text as TapedJsonOut wrote it: one entry per token, each four 32-bit words (kind, a, b, c),
// with byte offsets into the text. It lets JS build the text's objects without parsing it (js/core-channel.js):
// keys written from literals come with the literal's address, which stands for the key's text for as long as the
// program runs, so JS makes each such key string once.
//
//   kind        a               b              c
//   ObjectStart, ObjectEnd, ArrayStart, ArrayEnd, True, False, Null: no operands
//   KeyLiteral  start of text   end of text    the literal's address (a key that needs no escaping)
//   Key         start of text   end of text    1 when the text between the quotes has escapes, else 0
//   String      start of text   end of text    1 when escaped, else 0
//   Number      start of text   end of text    0
//   Json        start of text   end of text    0 (a whole value written as JSON text: JS parses it)
//
// A key's or string's span is what lies between its quotes. The kinds' numbers are part of the module's interface
// (Module.jsonTapeKinds() publishes them; JS checks its own copy against it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace jr {

enum class TapeKind : std::int32_t {
  ObjectStart = 1,
  ObjectEnd = 2,
  ArrayStart = 3,
  ArrayEnd = 4,
  KeyLiteral = 5,
  Key = 6,
  String = 7,
  Number = 8,
  True = 9,
  False = 10,
  Null = 11,
  Json = 12,
};

// One token: its kind and three operands (the table above).
struct TapeEntry {
  std::int32_t kind;
  std::int32_t a;
  std::int32_t b;
  std::int32_t c;
};
static_assert(sizeof(TapeEntry) == 16, "a tape's entries are four 32-bit words each, back to back");

inline bool hasSpan(TapeKind kind) {
  return (kind >= TapeKind::KeyLiteral && kind <= TapeKind::Number) || kind == TapeKind::Json;
}

class JsonTape {
 public:
  // (out of line: JsonOut calls these from every writer, which would otherwise each carry a copy)
  void add(TapeKind kind);
  void addSpan(TapeKind kind, std::size_t start, std::size_t end, bool escaped = false);
  // A key written from the literal `name` (wasm32 addresses fit in the entry; a native build keeps the low bits,
  // and only the WebAssembly module hands tapes to JS).
  void addKeyLiteral(const char* name, std::size_t start, std::size_t end);
  // Appends `other`'s entries [from, to) with their offsets moved by `shift`.
  void appendShifted(const JsonTape& other, std::size_t from, std::size_t to, std::ptrdiff_t shift);

  std::size_t size() const { return entries_.size(); }
  const TapeEntry* data() const { return entries_.data(); }
  const TapeEntry& operator[](std::size_t i) const { return entries_[i]; }
  void clear() { entries_.clear(); }
  // Drops the entries from the `size`-th on.
  void truncate(std::size_t size) { entries_.resize(size < entries_.size() ? size : entries_.size()); }
  void swap(JsonTape& other) noexcept { entries_.swap(other.entries_); }

 private:
  std::vector<TapeEntry> entries_;
};

}  // namespace jr
