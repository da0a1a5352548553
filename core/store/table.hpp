// An indexed table of one resource type: by id (ordered, for iteration; hashed, for lookups), and by creation
// sequence (list order, paging cursors).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/store/id_index.hpp"
#include "core/util/time.hpp"

namespace jr {

template <class T>
struct Record {
  T value{};
  std::string etag;
  Instant lastModified = 0;
  std::uint64_t version = 0;  // +1 per change (job and worker ETags show it)
  std::uint64_t seq = 0;      // creation sequence
  std::uint64_t accountedBytes = 0;  // the size Router counts against its storedBytes limit (core/router.cpp)
};

// Lookups by id go through a hash index of the ordered map's records (a request looks its job up several times, and
// walking a tree of string keys grew with the table); iteration is the ordered map's. Tables are moved, never
// copied: the index points into the map's nodes, which a move keeps.
template <class T>
class Table {
 public:
  Table() = default;
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;
  Table(Table&&) noexcept = default;
  Table& operator=(Table&&) noexcept = default;

  Record<T>* find(const std::string& id) { return index_.find(id); }
  const Record<T>* find(const std::string& id) const { return index_.find(id); }
  bool contains(const std::string& id) const { return index_.contains(id); }

  Record<T>& insert(const std::string& id, Record<T> record) {
    record.seq = nextSeq_++;
    bySeq_[record.seq] = id;
    return place(id, std::move(record));
  }
  // Restores a record with its original sequence (state import).
  void restore(const std::string& id, Record<T> record) {
    if (record.seq >= nextSeq_) nextSeq_ = record.seq + 1;
    bySeq_[record.seq] = id;
    place(id, std::move(record));
  }
  void erase(const std::string& id) {
    auto it = byId_.find(id);
    if (it == byId_.end()) return;
    bySeq_.erase(it->second.seq);
    index_.remove(it->first);
    byId_.erase(it);
  }
  void clear() {
    index_.clear();
    byId_.clear();
    bySeq_.clear();
    nextSeq_ = 1;
  }
  std::size_t size() const { return byId_.size(); }
  std::uint64_t nextSeq() const { return nextSeq_; }
  void setNextSeq(std::uint64_t value) { nextSeq_ = value; }

  const std::map<std::string, Record<T>>& byId() const { return byId_; }
  std::map<std::string, Record<T>>& byId() { return byId_; }
  const std::map<std::uint64_t, std::string>& bySeq() const { return bySeq_; }

 private:
  Record<T>& place(const std::string& id, Record<T>&& record) {
    Record<T>& stored = byId_[id] = std::move(record);
    if (index_.find(id) == nullptr) index_.add(byId_.find(id)->first, &stored);  // a new id: index the map's key
    return stored;
  }

  std::map<std::string, Record<T>> byId_;
  IdIndex<Record<T>> index_;  // keys view byId_'s keys (a map's nodes stay put)
  std::map<std::uint64_t, std::string> bySeq_;
  std::uint64_t nextSeq_ = 1;
};

}  // namespace jr
