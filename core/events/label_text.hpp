// Label and tag values as Event Grid payloads carry them. The REST API keeps a label's JSON type (string, number,
// boolean), but the Event Grid schema types every labels/tags map of the router events as a map of strings
// (`additionalProperties: {"type": "string"}`, TypeSpec `Record<string>`), so events carry each value as text.
#pragma once

#include <string>

#include "core/model/labels.hpp"
#include "core/router_types.hpp"
#include "core/util/taped_json_out.hpp"

namespace jr {

// The text of one label value:
//   EventLabelText::Json   — a string as it is; a number or boolean as its JSON text, exactly as REST responses
//                            write it: true, false, 2, 2.5, 1e+21.
//   EventLabelText::DotNet — a string as it is; booleans as .NET's Boolean.ToString() writes them (True, False);
//                            integers in decimal; other numbers as .NET's Double.ToString() writes them: shortest
//                            round-trip digits, fixed-point unless the decimal exponent is below -4 or at least
//                            max(15, digit count), then d.dddE+XX with at least two exponent digits (1E+16,
//                            2.5E-05).
// Values the REST API refuses never reach here from a request: a null in a merge patch removes the label, and
// objects and arrays are rejected with 400. Should one come in through a hand-made snapshot, an object or array
// gives its JSON text and eventLabels leaves a null out.
std::string eventLabelValue(const Json& value, EventLabelText mode);

// A labels or tags map as events carry it: every value a string, keys in the map's order, null values left out.
void writeEventLabels(TapedJsonOut& out, const LabelMap& labels, EventLabelText mode);

// .NET's Double.ToString() text of a finite double (exposed for tests).
std::string dotNetDoubleText(double value);

}  // namespace jr
