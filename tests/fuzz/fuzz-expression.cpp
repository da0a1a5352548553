// libFuzzer target over the Power Fx expression evaluator: each input is an expression (and optionally job labels),
// checked by runExpressionInput (fuzz-expression.hpp); a problem aborts, so libFuzzer keeps the input.
#include <cstdio>
#include <cstdlib>

#include "fuzz-expression.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::string> problems =
      jrfuzz::runExpressionInput(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!problems.empty()) {
    for (const std::string& p : problems) std::fprintf(stderr, "expression fuzz: %s\n", p.c_str());
    std::abort();
  }
  return 0;
}
