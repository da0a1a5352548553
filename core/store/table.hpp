// An indexed table of one resource type: in creation order (list order, paging cursors, the exported state), and
// by id (hashed, for lookups).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

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

// Records are held in creation order (a map by sequence number: list order, paging cursors, the exported state's
// order), and looked up by id through a hash index of them. A new record goes at the map's end, which costs no key
// comparisons: an ordered map by id, which the table had, made each new job walk a tree of string keys spread over
// the records' memory. Nothing iterates a table in id order (where an answer depends on ids, such as
// classification's queue selectors, the code compares ids itself). Tables are moved, never copied: the index
// points into the map's nodes, which a move keeps.
template <class T>
class Table {
 public:
  struct Row {
    Row(const std::string& rowId, Record<T>&& rowRecord) : id(rowId), record(std::move(rowRecord)) {}
    const std::string id;  // the index's key: never changed while the row exists
    Record<T> record;
  };
  using Rows = std::map<std::uint64_t, Row>;

  Table() = default;
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;
  Table(Table&&) noexcept = default;
  Table& operator=(Table&&) noexcept = default;

  Record<T>* find(const std::string& id) { return index_.find(id); }
  const Record<T>* find(const std::string& id) const { return index_.find(id); }
  bool contains(const std::string& id) const { return index_.contains(id); }

  // A new record, last in creation order (an id already held is replaced, and moves to the end).
  Record<T>& insert(const std::string& id, Record<T> record) {
    record.seq = nextSeq_++;
    return place(id, std::move(record));
  }
  // Restores a record with its original sequence (state import); false, changing nothing, when another id holds
  // that sequence number.
  [[nodiscard]] bool restore(const std::string& id, Record<T> record) {
    const auto held = rows_.find(record.seq);
    if (held != rows_.end() && held->second.id != id) return false;
    if (record.seq >= nextSeq_) nextSeq_ = record.seq + 1;
    place(id, std::move(record));
    return true;
  }
  void erase(const std::string& id) {
    const Record<T>* record = index_.find(id);
    if (record == nullptr) return;
    const auto row = rows_.find(record->seq);
    index_.remove(id);
    rows_.erase(row);
  }
  void clear() {
    index_.clear();
    rows_.clear();
    nextSeq_ = 1;
  }
  std::size_t size() const { return rows_.size(); }
  std::uint64_t nextSeq() const { return nextSeq_; }
  void setNextSeq(std::uint64_t value) { nextSeq_ = value; }

  // The rows in creation order. Records may be changed through the mutable view; ids may not.
  const Rows& rows() const { return rows_; }
  Rows& rows() { return rows_; }

 private:
  Record<T>& place(const std::string& id, Record<T>&& record) {
    erase(id);
    const std::uint64_t seq = record.seq;
    // a new sequence number is the largest: the hint makes its insertion constant time
    const auto hint = rows_.empty() || rows_.rbegin()->first < seq ? rows_.end() : rows_.lower_bound(seq);
    const auto row = rows_.emplace_hint(hint, std::piecewise_construct, std::forward_as_tuple(seq),
                                        std::forward_as_tuple(id, std::move(record)));
    index_.add(row->second.id, &row->second.record);  // the index keeps the row's own copy of the id
    return row->second.record;
  }

  Rows rows_;
  IdIndex<Record<T>> index_;  // keys view the rows' ids (a map's nodes stay put)
  std::uint64_t nextSeq_ = 1;
};

}  // namespace jr
