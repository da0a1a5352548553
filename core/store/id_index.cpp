#include "core/store/id_index.hpp"

#include <cstdint>
#include <string_view>

namespace jr {
namespace {

// FNV-1a, then a final mix so that the low bits (the slot) depend on every byte.
std::uint32_t hashOf(std::string_view id) {
  std::uint32_t h = 2166136261u;
  for (const char c : id) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

}  // namespace

std::size_t UntypedIdIndex::slotOf(const std::string& id, std::uint32_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = home(hash);
  for (; slots_[i].value != nullptr; i = (i + 1) & mask) {
    if (slots_[i].hash == hash && *slots_[i].id == id) break;
  }
  return i;
}

void* UntypedIdIndex::find(const std::string& id) const {
  if (count_ == 0) return nullptr;
  return slots_[slotOf(id, hashOf(id))].value;
}

void UntypedIdIndex::add(const std::string& id, void* value) {
  if ((count_ + 1) * 4 > slots_.size() * 3) grow();  // at most three quarters full
  const std::uint32_t hash = hashOf(id);
  Slot& slot = slots_[slotOf(id, hash)];
  if (slot.value == nullptr) ++count_;
  slot = Slot{&id, value, hash};
}

void UntypedIdIndex::remove(const std::string& id) {
  if (count_ == 0) return;
  const std::size_t mask = slots_.size() - 1;
  std::size_t hole = slotOf(id, hashOf(id));
  if (slots_[hole].value == nullptr) return;
  // Backward shift: each later slot of the run moves into the hole unless its own start lies after the hole.
  for (std::size_t j = (hole + 1) & mask; slots_[j].value != nullptr; j = (j + 1) & mask) {
    const std::size_t start = home(slots_[j].hash);
    const bool startAfterHole = hole <= j ? (start > hole && start <= j) : (start > hole || start <= j);
    if (startAfterHole) continue;
    slots_[hole] = slots_[j];
    hole = j;
  }
  slots_[hole] = Slot{};
  --count_;
}

void UntypedIdIndex::clear() {
  slots_.clear();
  count_ = 0;
}

// Out of line: add's usual path stays small.
[[gnu::noinline]] void UntypedIdIndex::grow() {
  std::vector<Slot> old(slots_.empty() ? 16 : slots_.size() * 2);
  old.swap(slots_);
  for (const Slot& slot : old) {
    if (slot.value == nullptr) continue;
    std::size_t i = home(slot.hash);
    while (slots_[i].value != nullptr) i = (i + 1) & (slots_.size() - 1);
    slots_[i] = slot;
  }
}

}  // namespace jr
