// Small memory blocks from free lists, one list per 8-byte size class, for requests up to 256 bytes: a request
// makes and drops many short strings and tree nodes, and taking a block off a list is quicker than the general
// allocator's search. Blocks come from 64 KiB chunks of the general allocator and go back to their list, never to
// it (the lists keep the most blocks of each size a router needed at once). Larger requests go to the general
// allocator. Each block has a 4-byte header (its class, or 0 for a large one), so release() needs no size, and a
// block is as large as the general allocator's chunk for the same request (8-byte steps, 4 bytes of overhead).
// Single-threaded, like the core.
// The WebAssembly module routes the global operator new/delete to the shared instance below (wasm/bindings.cpp);
// native builds do not, so that sanitizers see every allocation.
#pragma once

#include <cstddef>

namespace jr {

class SmallBlocks {
 public:
  static constexpr std::size_t kMaxSmallBytes = 256;

  // At least `bytes` bytes, 8-aligned, or null when the general allocator has no memory left.
  // (Class c holds 8 × c + 4 bytes: 12 to 260.)
  void* allocate(std::size_t bytes) noexcept;
  // A block from allocate(), or null.
  void release(void* block) noexcept;
  // Bytes taken from the general allocator for small blocks.
  std::size_t chunkBytes() const { return chunkBytes_; }

 private:
  struct FreeBlock {
    FreeBlock* next;
  };
  static constexpr std::size_t kClasses = (kMaxSmallBytes - 4 + 7) / 8;
  static constexpr std::size_t kChunkBytes = 64 * 1024;
  FreeBlock* carve(std::size_t sizeClass) noexcept;

  FreeBlock* free_[kClasses + 1] = {};  // by class (1 .. kClasses)
  char* chunkNext_ = nullptr;           // the rest of the newest chunk
  char* chunkEnd_ = nullptr;
  std::size_t chunkBytes_ = 0;
};

// One process-wide instance, for a global operator new/delete (the WebAssembly module's). Functions of the pointer
// alone, like malloc and free: the optimiser inlines operator delete into every caller, and a call that also passed
// the instance's address made the module 5 KB larger.
void* allocateSharedBlock(std::size_t bytes) noexcept;
void releaseSharedBlock(void* block) noexcept;

}  // namespace jr
