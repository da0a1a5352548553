// The plain types of the Router's options (seed, clock start, error shape, limits), apart from the Router itself so
// that the engine and the response and event writers can use them without the facade. The HTTP types (headers, the
// response) are core/http/http_types.hpp's.
#pragma once

#include <cstdint>
#include <string>

namespace jr {

enum class ErrorShape { Real, Spec };  // {"communicationError":…} or {"error":…} + x-ms-error-code

// How events write number and boolean label/tag values, which the Event Grid schema types as strings:
// Json: JSON text (true, 2, 2.5); DotNet: .NET ToString() text (True, 2, 2.5). See core/events/label_text.hpp.
enum class EventLabelText { Json, DotNet };

// What a router stores at most (0: no limit). A write past a limit answers 507 in the configured error shape and
// changes nothing; reads, deletes and everything else keep working. The defaults keep a full router, its
// exportState() and the JSON text of that export well inside WebAssembly's 4 GB of memory, and the export's text
// under V8's longest string (2^29 - 24 characters, about 512 MiB), so that JS can receive it.
struct RouterLimits {
  // The resources' JSON text as GET answers it, summed: counted when a PATCH stores a resource, refused when the
  // total plus the request body's size would pass the limit.
  std::uint64_t storedBytes = 256ULL * 1024 * 1024;
  std::uint64_t jobs = 250'000;
  std::uint64_t workers = 50'000;
  std::uint64_t queues = 10'000;
  std::uint64_t policies = 10'000;  // of each kind (distribution, classification, exception)
};

struct RouterOptions {
  std::uint64_t seed = 1;             // drives generated ids (offers, assignments, exception actions)
  std::string startTime = "2024-01-01T00:00:00Z";  // virtual clock start (ISO-8601)
  bool checkApiVersion = true;        // false: any or no api-version is accepted
  ErrorShape errorShape = ErrorShape::Real;
  EventLabelText eventLabelText = EventLabelText::Json;
  RouterLimits limits;
};

}  // namespace jr
