// The tables' lookup index (core/store/id_index.hpp): after any sequence of adds, replacements and removals it
// finds exactly what an ordered map holding the same ids finds — in tables small enough that runs of slots wrap
// around the end and removals shift whole runs back, in one grown to thousands of ids, and through Table itself.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/store/id_index.hpp"
#include "core/store/table.hpp"
#include "core/util/prng.hpp"
#include "test-support.hpp"

namespace {

// Every id of `pool` is found in `index` exactly when `model` holds it, with the model's value.
void requireSameAsModel(const jr::IdIndex<int>& index, const std::map<std::string, int*>& model,
                        const std::vector<std::string>& pool) {
  REQUIRE(index.size() == model.size());
  for (const std::string& id : pool) {
    const auto it = model.find(id);
    INFO("id " << id);
    REQUIRE(index.find(id) == (it == model.end() ? nullptr : it->second));
    REQUIRE(index.contains(id) == (it != model.end()));
  }
}

std::size_t below(jr::Prng& prng, std::size_t n) { return static_cast<std::size_t>(prng.next() % n); }

}  // namespace

TEST_CASE("id index: random adds, replacements and removals find what an ordered map finds", "[id-index]") {
  for (const std::size_t poolSize : {5u, 40u, 3000u}) {
    jr::Prng prng(static_cast<std::uint64_t>(poolSize));
    std::vector<std::string> pool;
    for (std::size_t i = 0; i < poolSize; ++i) pool.push_back("id-" + std::to_string(i * 7919 % 100003));
    std::vector<int> values(poolSize * 4);
    jr::IdIndex<int> index;
    std::map<std::string, int*> model;
    INFO("pool " << poolSize);
    for (std::size_t step = 0; step < poolSize * 20; ++step) {
      const std::string& id = pool[below(prng, poolSize)];
      if (below(prng, 3) == 0) {
        index.remove(id);
        model.erase(id);
      } else {
        int* value = &values[below(prng, values.size())];
        index.add(id, value);
        model[id] = value;
      }
      if (poolSize <= 40 || step % 997 == 0) requireSameAsModel(index, model, pool);
    }
    requireSameAsModel(index, model, pool);
    for (const std::string& id : pool) index.remove(id);
    REQUIRE(index.size() == 0);
    REQUIRE(index.find(pool.front()) == nullptr);
  }
}

TEST_CASE("id index: a table's records are found by id after inserts, restores, erases and clear", "[id-index]") {
  const auto recordOf = [](int value) {
    jr::Record<int> record;
    record.value = value;
    return record;
  };
  jr::Table<int> table;
  for (int i = 0; i < 1000; ++i) table.insert("job-" + std::to_string(i), recordOf(i));
  for (int i = 0; i < 1000; i += 3) table.erase("job-" + std::to_string(i));
  REQUIRE(table.restore("job-0", recordOf(-1)));
  REQUIRE(table.size() == 666 + 1);  // 334 of the 1,000 erased, job-0 restored
  for (int i = 1; i < 1000; ++i) {
    const jr::Record<int>* record = table.find("job-" + std::to_string(i));
    if (i % 3 == 0) {
      REQUIRE(record == nullptr);
    } else {
      REQUIRE(record != nullptr);
      REQUIRE(record->value == i);
    }
  }
  REQUIRE(table.find("job-0")->value == -1);
  REQUIRE(table.contains("job-0"));
  table.insert("job-1", recordOf(100));  // an insert over an id replaces its record
  REQUIRE(table.find("job-1")->value == 100);
  REQUIRE(table.size() == 667);
  jr::Table<int> moved = std::move(table);
  REQUIRE(moved.find("job-2")->value == 2);
  moved.clear();
  REQUIRE(moved.find("job-2") == nullptr);
  REQUIRE(moved.size() == 0);
}

TEST_CASE("table: rows come in creation order; a restore keeps its sequence, and refuses one another id holds",
          "[id-index]") {
  const auto recordOf = [](int value, std::uint64_t seq = 0) {
    jr::Record<int> record;
    record.value = value;
    record.seq = seq;
    return record;
  };
  const auto idsInOrder = [](const jr::Table<int>& table) {
    std::vector<std::string> ids;
    for (const auto& [seq, row] : table.rows()) ids.push_back(row.id);
    return ids;
  };
  jr::Table<int> table;
  table.insert("b", recordOf(1));
  table.insert("a", recordOf(2));
  table.insert("c", recordOf(3));
  REQUIRE(idsInOrder(table) == std::vector<std::string>{"b", "a", "c"});  // not id order
  REQUIRE(table.find("a")->seq == 2);
  table.insert("b", recordOf(4));  // replaced: a new record, last in creation order
  REQUIRE(idsInOrder(table) == std::vector<std::string>{"a", "c", "b"});
  REQUIRE(table.find("b")->value == 4);
  REQUIRE(table.find("b")->seq == 4);
  REQUIRE(table.nextSeq() == 5);

  jr::Table<int> restored;
  REQUIRE(restored.restore("late", recordOf(1, 9)));
  REQUIRE(restored.restore("early", recordOf(2, 3)));
  REQUIRE(idsInOrder(restored) == std::vector<std::string>{"early", "late"});
  REQUIRE(restored.nextSeq() == 10);
  REQUIRE_FALSE(restored.restore("other", recordOf(3, 9)));  // seq 9 is late's: nothing changes
  REQUIRE(restored.find("other") == nullptr);
  REQUIRE(restored.find("late")->value == 1);
  REQUIRE(restored.size() == 2);
  REQUIRE(restored.restore("late", recordOf(5, 9)));  // the same id again: replaced in place
  REQUIRE(restored.find("late")->value == 5);
  REQUIRE(idsInOrder(restored) == std::vector<std::string>{"early", "late"});
  restored.erase("early");
  REQUIRE(idsInOrder(restored) == std::vector<std::string>{"late"});
  REQUIRE(restored.find("early") == nullptr);
}
