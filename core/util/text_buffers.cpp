#include "core/util/text_buffers.hpp"

#include <utility>

namespace jr {

namespace {
// Never destroyed: nothing to run at exit.
std::string& spareBuffer() {
  static std::string* spare = new std::string();
  return *spare;
}
}  // namespace

std::string takeTextBuffer(std::size_t bytes) {
  std::string buffer;
  buffer.swap(spareBuffer());
  buffer.clear();
  if (buffer.capacity() < bytes) buffer.reserve(bytes);
  return buffer;
}

void giveBackTextBuffer(std::string&& buffer) {
  if (buffer.capacity() > kKeptTextBufferBytes || buffer.capacity() <= spareBuffer().capacity()) return;
  spareBuffer().swap(buffer);
}

}  // namespace jr
