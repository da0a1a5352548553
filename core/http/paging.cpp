#include "core/http/paging.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "core/errors.hpp"
#include "core/http/routes.hpp"
#include "core/model/job.hpp"
#include "core/util/json_writer.hpp"

namespace jr {
namespace {

constexpr std::int64_t kDefaultPageSize = 100;

struct ListFilter {
  Operation list;
  const char* name;
};

constexpr ListFilter kListFilters[] = {
#define JR_LIST_FILTER(operation, name) {Operation::operation, name},
#include "core/http/list_filters.inc"
};

constexpr std::size_t kResourceKinds = static_cast<std::size_t>(ResourceKind::Job) + 1;

// The query parameters that filter a list of `kind` (core/http/list_filters.inc), in the order a nextLink has them.
const std::vector<std::string>& filterNames(ResourceKind kind) {
  static const std::array<std::vector<std::string>, kResourceKinds> byKind = [] {
    std::array<std::vector<std::string>, kResourceKinds> names;
    for (const ListFilter& filter : kListFilters) {
      names[static_cast<std::size_t>(resourceOf(filter.list))].emplace_back(filter.name);
    }
    return names;
  }();
  return byKind[static_cast<std::size_t>(kind)];
}

std::int64_t readPageSize(const QueryString& query) {
  const std::string* text = query.find("maxpagesize");
  if (!text) return kDefaultPageSize;
  std::int64_t value = 0;
  bool ok = !text->empty() && text->size() <= 10;
  for (char c : *text) ok = ok && std::isdigit(static_cast<unsigned char>(c));
  if (ok) value = std::stoll(*text);
  if (!ok || value < 1 || value > 2147483647) {
    throwBadRequest("InvalidValue", "maxpagesize must be a whole number of at least 1.", "maxpagesize");
  }
  return value;
}

void keepFilters(const QueryString& from, const std::vector<std::string>& names, QueryString& to) {
  for (const auto& [k, v] : from.items) {
    if (std::find(names.begin(), names.end(), k) != names.end()) to.items.emplace_back(k, v);
  }
}

// The cursor, page size and filter parameters, from the continuation token when there is one.
void readWindow(const QueryString& query, const std::vector<std::string>& names, ListQuery& list) {
  if (const std::string* token = query.find("continuationToken")) {
    const auto decoded = base64Decode(*token);
    const QueryString inner = decoded ? parseQuery(*decoded) : QueryString{};
    const std::string* cursor = inner.find("cursor");
    bool ok = decoded && !inner.malformed && cursor && !cursor->empty() && cursor->size() < 20;
    if (ok) {
      for (char c : *cursor) ok = ok && std::isdigit(static_cast<unsigned char>(c));
    }
    if (!ok) throwBadRequest("InvalidContinuationToken", "The continuation token is not valid.", "continuationToken");
    list.page.after = std::stoull(*cursor);
    list.page.pageSize = readPageSize(inner);
    keepFilters(inner, names, list.filterParameters);
    return;
  }
  list.page.pageSize = readPageSize(query);
  keepFilters(query, names, list.filterParameters);
}

std::optional<bool> parseBool(const std::string& text) {
  std::string lower;
  for (char c : text) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower == "true") return true;
  if (lower == "false") return false;
  return std::nullopt;
}

void readJobFilters(const QueryString& f, ListFilters& filters) {
  if (const std::string* s = f.find("status")) {
    std::vector<std::string> allowed = {"all", "active"};
    for (int i = 0; i < kJobStatusCount; ++i) allowed.push_back(toString(static_cast<JobStatus>(i)));
    filters.status = canonicalEnum(*s, allowed);
    if (!filters.status) throwBadRequest("InvalidValue", "'" + *s + "' is not a valid job status filter.", "status");
  }
  for (const char* name : {"scheduledBefore", "scheduledAfter"}) {
    if (const std::string* s = f.find(name)) {
      auto t = parseIsoTime(*s);
      if (!t) throwBadRequest("InvalidValue", std::string(name) + " must be an ISO-8601 date-time.", name);
      (std::string(name) == "scheduledBefore" ? filters.scheduledBefore : filters.scheduledAfter) = t;
    }
  }
}

void readWorkerFilters(const QueryString& f, ListFilters& filters) {
  if (const std::string* s = f.find("state")) {
    filters.state = canonicalEnum(*s, {"all", "active", "draining", "inactive"});
    if (!filters.state) throwBadRequest("InvalidValue", "'" + *s + "' is not a valid worker state filter.", "state");
  }
  if (const std::string* s = f.find("hasCapacity")) {
    filters.hasCapacity = parseBool(*s);
    if (!filters.hasCapacity) throwBadRequest("InvalidValue", "hasCapacity must be true or false.", "hasCapacity");
  }
}

std::optional<std::string> optionalValue(const QueryString& f, const char* name) {
  const std::string* value = f.find(name);
  return value ? std::optional<std::string>(*value) : std::nullopt;
}

ListFilters readFilters(ResourceKind kind, const QueryString& f) {
  ListFilters filters;
  if (kind == ResourceKind::Job) readJobFilters(f, filters);
  if (kind == ResourceKind::Worker) readWorkerFilters(f, filters);
  filters.queueId = optionalValue(f, "queueId");
  filters.channelId = optionalValue(f, "channelId");
  filters.classificationPolicyId = optionalValue(f, "classificationPolicyId");
  return filters;
}

std::string nextLink(const ListQuery& list, std::uint64_t after) {
  std::string inner = "cursor=" + std::to_string(after) + "&maxpagesize=" + std::to_string(list.page.pageSize);
  for (const auto& [k, v] : list.filterParameters.items) {
    inner.append("&").append(percentEncode(k)).append("=").append(percentEncode(v));
  }
  std::string link = "/routing/";
  link.append(collectionName(list.page.kind)).append("?continuationToken=").append(percentEncode(base64Encode(inner)));
  return link;
}

}  // namespace

ListQuery readListQuery(ResourceKind kind, const QueryString& query) {
  ListQuery list;
  list.page.kind = kind;
  readWindow(query, filterNames(kind), list);
  list.page.filters = readFilters(kind, list.filterParameters);
  return list;
}

std::string pageBody(const ListQuery& query, const Page& page) {
  std::string body;
  body.reserve(page.items.size() + 32);
  JsonOut out(body);
  out.beginObject().key("value").raw(page.items);
  if (page.moreAfter) out.key("nextLink").string(nextLink(query, *page.moreAfter));
  out.endObject();
  out.finish();
  return body;
}

}  // namespace jr
