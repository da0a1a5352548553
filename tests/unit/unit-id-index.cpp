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
  table.restore("job-0", recordOf(-1));
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
