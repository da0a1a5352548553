// libFuzzer target over the core's request handler: each input is a script of REST calls and clock steps
// (format in fuzz-input.hpp) run on a fresh jr::Router. A problem found by the checker aborts, so libFuzzer keeps
// the input as a crash artifact; sanitizer reports (ASan, UBSan) and uncaught exceptions do the same.
#include <cstdio>
#include <cstdlib>

#include "fuzz-input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::string> problems =
      jrfuzz::runInput(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!problems.empty()) {
    for (const std::string& p : problems) std::fprintf(stderr, "jobrouter fuzz: %s\n", p.c_str());
    std::abort();
  }
  return 0;
}
