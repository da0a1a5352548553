#include "core/util/small_blocks.hpp"

#include <cstdint>
#include <cstdlib>

namespace jr {
namespace {

using Header = std::uint64_t;  // the class, 0 for a large block; 8 bytes keep the block 8-aligned
constexpr std::size_t kHeaderBytes = sizeof(Header);

}  // namespace

void* SmallBlocks::allocate(std::size_t bytes) noexcept {
  if (bytes > kMaxSmallBytes) {
    auto* header = static_cast<Header*>(std::malloc(bytes + kHeaderBytes));
    if (header == nullptr) return nullptr;
    *header = 0;
    return header + 1;
  }
  const std::size_t sizeClass = bytes == 0 ? 1 : (bytes + 7) / 8;
  FreeBlock* block = free_[sizeClass];
  if (block != nullptr) {
    free_[sizeClass] = block->next;
  } else {
    block = carve(sizeClass);
    if (block == nullptr) return nullptr;
  }
  auto* header = reinterpret_cast<Header*>(block);
  *header = sizeClass;
  return header + 1;
}

void SmallBlocks::release(void* memory) noexcept {
  if (memory == nullptr) return;
  auto* header = static_cast<Header*>(memory) - 1;
  const auto sizeClass = static_cast<std::size_t>(*header);
  if (sizeClass == 0) {
    std::free(header);
    return;
  }
  auto* block = reinterpret_cast<FreeBlock*>(header);
  block->next = free_[sizeClass];
  free_[sizeClass] = block;
}

// Out of line: allocate's usual path stays small.
[[gnu::noinline]] SmallBlocks::FreeBlock* SmallBlocks::carve(std::size_t sizeClass) noexcept {
  const std::size_t blockBytes = kHeaderBytes + sizeClass * 8;
  if (static_cast<std::size_t>(chunkEnd_ - chunkNext_) < blockBytes) {
    // The old chunk's rest (under 264 bytes) is left unused.
    auto* chunk = static_cast<char*>(std::malloc(kChunkBytes));
    if (chunk == nullptr) return nullptr;
    chunkBytes_ += kChunkBytes;
    chunkNext_ = chunk;
    chunkEnd_ = chunk + kChunkBytes;
  }
  auto* block = reinterpret_cast<FreeBlock*>(chunkNext_);
  chunkNext_ += blockBytes;
  return block;
}

namespace {
constinit SmallBlocks gShared;  // constant-initialised: usable before any static constructor runs
}  // namespace

void* allocateSharedBlock(std::size_t bytes) noexcept { return gShared.allocate(bytes); }
void releaseSharedBlock(void* block) noexcept { gShared.release(block); }

}  // namespace jr
