// Text buffers handed back after use, so that the next response body reuses their memory instead of allocating
// its own: a reply's body is made, copied out by the host (the WebAssembly bindings), and given back. One buffer is
// kept, up to kKeptTextBufferBytes of capacity (a larger one is freed). Changes no output. Not for concurrent use
// (the core runs one request at a time).
#pragma once

#include <cstddef>
#include <string>

namespace jr {

inline constexpr std::size_t kKeptTextBufferBytes = 64 * 1024;

// An empty string with room for at least `bytes` bytes: the buffer given back last, when there is one.
std::string takeTextBuffer(std::size_t bytes);

// Gives a buffer back (its text is no longer needed).
void giveBackTextBuffer(std::string&& buffer);

}  // namespace jr
