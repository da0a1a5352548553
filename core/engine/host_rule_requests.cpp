// The function and webhook rule requests the host answers, and the answers it gave.
#include "core/engine/host_rule_requests.hpp"

namespace jr {

std::optional<ExternalAnswer> HostRuleRequests::answer(const std::string& jobId, const Json& rule,
                                                       const Json& payload) {
  const std::string key = rule.dump() + "\n" + payload.dump();
  if (auto job = answers_.find(jobId); job != answers_.end()) {
    if (auto it = job->second.find(key); it != job->second.end()) return it->second;
  }
  for (const auto& [id, request] : requests_) {
    if (request.jobId == jobId && request.key == key) return std::nullopt;  // already asked
  }
  const std::string requestId = "rule-request-" + std::to_string(++counter_);
  requests_[requestId] = Request{jobId, key, rule, payload};
  unpublished_.push_back(requestId);
  return std::nullopt;
}

Json HostRuleRequests::drain() {
  Json out = Json::array();
  for (const auto& id : unpublished_) {
    const auto it = requests_.find(id);
    if (it == requests_.end()) continue;
    const Request& r = it->second;
    const std::string kind = r.rule.value("kind", "");
    const std::string uri = kind == "webhook" ? r.rule.value("webhookUri", "") : r.rule.value("functionUri", "");
    out.push_back({{"requestId", id}, {"jobId", r.jobId}, {"kind", kind}, {"uri", uri}, {"rule", r.rule},
                   {"payload", r.payload}});
  }
  unpublished_.clear();
  return out;
}

std::optional<std::string> HostRuleRequests::answerRequest(const std::string& requestId, const Json& result,
                                                           const std::string& error) {
  const auto it = requests_.find(requestId);
  if (it == requests_.end()) return std::nullopt;
  const Request request = it->second;
  requests_.erase(it);
  ExternalAnswer answer;
  answer.failed = !error.empty();
  answer.error = error;
  answer.value = result;
  answers_[request.jobId][request.key] = answer;
  return request.jobId;
}

void HostRuleRequests::restoreRequest(const std::string& requestId, Request request) {
  requests_[requestId] = std::move(request);
  unpublished_.push_back(requestId);
}

void HostRuleRequests::restoreAnswer(const std::string& jobId, const std::string& key, ExternalAnswer answer) {
  answers_[jobId][key] = std::move(answer);
}

}  // namespace jr
