#include "core/util/small_blocks.hpp"

#include <cstdint>
#include <cstdlib>

namespace jr {
namespace {

// A block is a 4-byte header (its class, or 0 for a large block) before 8-aligned memory, as the general allocator
// lays out its own: a small block of class c is 8 × (c + 1) bytes and starts 4 bytes past a multiple of 8 (chunks are
// carved from their fifth byte on), so its memory after the header is 8-aligned and 8 × c + 4 bytes long. A free
// block keeps its list's link in that memory. A large block is taken with 8 bytes more, and its header is the
// 4 bytes just before the memory handed out.
using Header = std::uint32_t;
constexpr std::size_t kHeaderBytes = sizeof(Header);

Header& headerOf(void* memory) { return *(static_cast<Header*>(memory) - 1); }

std::size_t classFor(std::size_t bytes) { return bytes <= 12 ? 1 : (bytes - 4 + 7) / 8; }

}  // namespace

void* SmallBlocks::allocate(std::size_t bytes) noexcept {
  if (bytes > kMaxSmallBytes) {
    if (bytes > SIZE_MAX - 8) return nullptr;  // new T[n] of an overflowing n asks for SIZE_MAX
    auto* base = static_cast<char*>(std::malloc(bytes + 8));
    if (base == nullptr) return nullptr;
    void* memory = base + 8;
    headerOf(memory) = 0;
    return memory;
  }
  const std::size_t sizeClass = classFor(bytes);
  FreeBlock* block = free_[sizeClass];
  if (block != nullptr) {
    free_[sizeClass] = block->next;
  } else {
    block = carve(sizeClass);
    if (block == nullptr) return nullptr;
  }
  headerOf(block) = static_cast<Header>(sizeClass);
  return block;
}

void SmallBlocks::release(void* memory) noexcept {
  if (memory == nullptr) return;
  const std::size_t sizeClass = headerOf(memory);
  if (sizeClass == 0) {
    std::free(static_cast<char*>(memory) - 8);
    return;
  }
  auto* block = static_cast<FreeBlock*>(memory);
  block->next = free_[sizeClass];
  free_[sizeClass] = block;
}

// Out of line: allocate's usual path stays small. Returns the block's memory (past its header).
[[gnu::noinline]] SmallBlocks::FreeBlock* SmallBlocks::carve(std::size_t sizeClass) noexcept {
  const std::size_t blockBytes = 8 * (sizeClass + 1);
  if (static_cast<std::size_t>(chunkEnd_ - chunkNext_) < blockBytes) {
    // The old chunk's rest (under 264 bytes) is left unused.
    auto* chunk = static_cast<char*>(std::malloc(kChunkBytes));
    if (chunk == nullptr) return nullptr;
    chunkBytes_ += kChunkBytes;
    chunkNext_ = chunk + (8 - kHeaderBytes);  // malloc's memory is 8-aligned: blocks start at 4 mod 8
    chunkEnd_ = chunk + kChunkBytes;
  }
  char* block = chunkNext_;
  chunkNext_ += blockBytes;
  return reinterpret_cast<FreeBlock*>(block + kHeaderBytes);
}

namespace {
constinit SmallBlocks gShared;  // constant-initialised: usable before any static constructor runs
}  // namespace

void* allocateSharedBlock(std::size_t bytes) noexcept { return gShared.allocate(bytes); }
void releaseSharedBlock(void* block) noexcept { gShared.release(block); }

}  // namespace jr
