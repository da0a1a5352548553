// The list operations over HTTP: their query parameters (maxpagesize, the filters, continuationToken) read into the
// engine's PageRequest, and the engine's Page written as {"value": [...], "nextLink"?}.
//
// A continuation token is base64 of a query string that carries the cursor (creation sequence of the last item
// returned), the page size and every filter, so following nextLink needs nothing but the token.
#pragma once

#include <optional>
#include <string>

#include "core/engine/commands.hpp"
#include "core/util/url.hpp"

namespace jr {

struct ListQuery {
  PageRequest page;
  QueryString filterParameters;  // the filter parameters in force (from the request or its token), for the nextLink
};

// Throws an Invalid ApiError (400) for a bad token, page size or filter value.
ListQuery readListQuery(ResourceKind kind, const QueryString& query);

// The response body of a page; its nextLink, when more follow, repeats the query with a token after the page.
std::string pageBody(const ListQuery& query, const Page& page);

}  // namespace jr
