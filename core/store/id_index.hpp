// A lookup-only hash index from ids to records held elsewhere: find, add, remove, clear, and no iteration, so no
// result can depend on where hashing puts an id. The index keeps the address of the string given to add(): the
// holder's own copy of the id (a table's map key), alive at the same address while it is indexed. Open addressing
// with linear probing over one array of slots of two pointers and the id's hash (12 bytes in WebAssembly): no
// allocation per id, a probe compares hashes before it reads an id, and one small untyped implementation behind
// the typed face (std::unordered_map made the module 5 KB larger).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace jr {

class UntypedIdIndex {
 public:
  // Ids are taken as strings (the tables' keys) so that callers pass a reference, not a view they must build.
  void* find(const std::string& id) const;
  void add(const std::string& id, void* value);  // value is not null; replaces an indexed id's value
  void remove(const std::string& id);
  void clear();
  std::size_t size() const { return count_; }

 private:
  struct Slot {
    const std::string* id = nullptr;
    void* value = nullptr;  // null: empty
    std::uint32_t hash = 0;
  };
  // its slot, or the empty one that ends its run
  std::size_t slotOf(const std::string& id, std::uint32_t hash) const;
  std::size_t home(std::uint32_t hash) const { return hash & (slots_.size() - 1); }  // where a run starts
  void grow();

  std::vector<Slot> slots_;  // a power of two long, or empty
  std::size_t count_ = 0;
};

template <class V>
class IdIndex {
 public:
  V* find(const std::string& id) const { return static_cast<V*>(index_.find(id)); }
  bool contains(const std::string& id) const { return index_.find(id) != nullptr; }
  void add(const std::string& id, V* value) { index_.add(id, value); }
  void remove(const std::string& id) { index_.remove(id); }
  void clear() { index_.clear(); }
  std::size_t size() const { return index_.size(); }

 private:
  UntypedIdIndex index_;
};

}  // namespace jr
