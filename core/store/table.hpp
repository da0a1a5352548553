// An indexed table of one resource type: by id, and by creation sequence (list order, paging cursors).
#pragma once

#include <cstdint>
#include <map>
#include <string>

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

template <class T>
class Table {
 public:
  Record<T>* find(const std::string& id) {
    auto it = byId_.find(id);
    return it == byId_.end() ? nullptr : &it->second;
  }
  const Record<T>* find(const std::string& id) const {
    auto it = byId_.find(id);
    return it == byId_.end() ? nullptr : &it->second;
  }
  bool contains(const std::string& id) const { return byId_.count(id) != 0; }

  Record<T>& insert(const std::string& id, Record<T> record) {
    record.seq = nextSeq_++;
    bySeq_[record.seq] = id;
    return byId_[id] = std::move(record);
  }
  // Restores a record with its original sequence (state import).
  void restore(const std::string& id, Record<T> record) {
    if (record.seq >= nextSeq_) nextSeq_ = record.seq + 1;
    bySeq_[record.seq] = id;
    byId_[id] = std::move(record);
  }
  void erase(const std::string& id) {
    auto it = byId_.find(id);
    if (it == byId_.end()) return;
    bySeq_.erase(it->second.seq);
    byId_.erase(it);
  }
  void clear() {
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
  std::map<std::string, Record<T>> byId_;
  std::map<std::uint64_t, std::string> bySeq_;
  std::uint64_t nextSeq_ = 1;
};

}  // namespace jr
