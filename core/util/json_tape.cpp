#include "core/util/json_tape.hpp"

namespace jr {

void JsonTape::add(TapeKind kind) { entries_.push_back({static_cast<std::int32_t>(kind), 0, 0, 0}); }

void JsonTape::addSpan(TapeKind kind, std::size_t start, std::size_t end, bool escaped) {
  entries_.push_back({static_cast<std::int32_t>(kind), static_cast<std::int32_t>(start), static_cast<std::int32_t>(end),
                      escaped ? 1 : 0});
}

void JsonTape::addKeyLiteral(const char* name, std::size_t start, std::size_t end) {
  entries_.push_back({static_cast<std::int32_t>(TapeKind::KeyLiteral), static_cast<std::int32_t>(start),
                      static_cast<std::int32_t>(end), static_cast<std::int32_t>(reinterpret_cast<std::uintptr_t>(name))});
}

void JsonTape::appendShifted(const JsonTape& other, std::size_t from, std::size_t to, std::ptrdiff_t shift) {
  const auto by = static_cast<std::int32_t>(shift);
  entries_.reserve(entries_.size() + (to - from));
  for (std::size_t i = from; i < to; ++i) {
    TapeEntry e = other.entries_[i];
    if (hasSpan(static_cast<TapeKind>(e.kind))) {
      e.a += by;
      e.b += by;
    }
    entries_.push_back(e);
  }
}

}  // namespace jr
