// The WebAssembly module's small-block allocator (core/util/small_blocks.hpp): blocks are 8-aligned, never overlap
// while held (each keeps the bytes written into it through any mix of other allocations and releases), a released
// block is the next one of its size class, large requests are the general allocator's, and chunks are taken only
// when the free lists are empty.
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/util/prng.hpp"
#include "core/util/small_blocks.hpp"
#include "test-support.hpp"

namespace {

struct Held {
  unsigned char* memory;
  std::size_t bytes;
  unsigned char fill;
};

bool keepsFill(const Held& held) {
  for (std::size_t i = 0; i < held.bytes; ++i) {
    if (held.memory[i] != held.fill) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("small blocks: random allocations and releases keep every held block's bytes", "[small-blocks]") {
  jr::SmallBlocks blocks;
  jr::Prng prng(42);
  std::vector<Held> held;
  for (int step = 0; step < 20000; ++step) {
    if (held.empty() || prng.next() % 3 != 0) {
      const std::size_t bytes = prng.next() % 5 == 0 ? prng.next() % 1200 : prng.next() % 270;
      auto* memory = static_cast<unsigned char*>(blocks.allocate(bytes));
      REQUIRE(memory != nullptr);
      REQUIRE(reinterpret_cast<std::uintptr_t>(memory) % 8 == 0);
      const auto fill = static_cast<unsigned char>(step);
      std::memset(memory, fill, bytes);
      held.push_back({memory, bytes, fill});
    } else {
      const std::size_t at = prng.next() % held.size();
      REQUIRE(keepsFill(held[at]));
      blocks.release(held[at].memory);
      held[at] = held.back();
      held.pop_back();
    }
  }
  for (const Held& h : held) {
    REQUIRE(keepsFill(h));
    blocks.release(h.memory);
  }
}

TEST_CASE("small blocks: a released block is reused for its size class; large ones and chunks", "[small-blocks]") {
  jr::SmallBlocks blocks;
  blocks.release(nullptr);  // ignored
  REQUIRE(blocks.chunkBytes() == 0);

  void* a = blocks.allocate(36);
  REQUIRE(blocks.chunkBytes() == 64 * 1024);
  blocks.release(a);
  REQUIRE(blocks.allocate(29) == a);  // 29 and 36 bytes are one class (36 bytes after a 4-byte header)
  void* b = blocks.allocate(40);      // another class: a new block
  REQUIRE(b != a);
  void* zero = blocks.allocate(0);
  REQUIRE(zero != nullptr);

  // Larger than the largest class: the general allocator's, no chunk taken.
  const std::size_t chunks = blocks.chunkBytes();
  void* large = blocks.allocate(jr::SmallBlocks::kMaxSmallBytes + 1);
  REQUIRE(large != nullptr);
  std::memset(large, 7, jr::SmallBlocks::kMaxSmallBytes + 1);
  blocks.release(large);
  REQUIRE(blocks.chunkBytes() == chunks);

  // The largest class fills a chunk with 64 KiB / 264-byte blocks before the next chunk is taken.
  std::vector<void*> biggest;
  while (blocks.chunkBytes() == chunks) biggest.push_back(blocks.allocate(jr::SmallBlocks::kMaxSmallBytes));
  REQUIRE(biggest.size() >= (64 * 1024 - 200) / 264);
  REQUIRE(blocks.chunkBytes() == chunks + 64 * 1024);
  for (void* p : biggest) blocks.release(p);
  // All of them are on the free list now: taking them again takes no chunk.
  for (std::size_t i = 0; i < biggest.size(); ++i) REQUIRE(blocks.allocate(256) != nullptr);
  REQUIRE(blocks.chunkBytes() == chunks + 64 * 1024);
  blocks.release(b);
  blocks.release(zero);

  // Sizes whose header would overflow (new T[n] of an overflowing n asks for SIZE_MAX): no memory, not a tiny block.
  REQUIRE(blocks.allocate(SIZE_MAX) == nullptr);
  REQUIRE(blocks.allocate(SIZE_MAX - 7) == nullptr);
}
