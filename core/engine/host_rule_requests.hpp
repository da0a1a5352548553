// The function and webhook rules the host answers: the requests raised and not answered yet, the answers kept per
// job, and the request counter. A rule that needs the host raises a request the first time and waits; the host
// drains the requests, answers them, and the rule runs again with the answer.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/engine/classification.hpp"
#include "core/util/json.hpp"

namespace jr {

class HostRuleRequests {
 public:
  struct Request {
    std::string jobId;
    std::string key;  // rule + payload, identifies the answer
    Json rule;
    Json payload;
  };
  using Answers = std::map<std::string, std::map<std::string, ExternalAnswer>>;  // jobId → key → answer

  // The host's answer to `rule` with `payload` for this job; raises a request (and returns nullopt) the first time
  // it is needed, and returns nullopt while that request is unanswered.
  std::optional<ExternalAnswer> answer(const std::string& jobId, const Json& rule, const Json& payload);
  // The answers kept for a job are dropped (its classification ended, it left its queue, it was deleted).
  void forgetAnswers(const std::string& jobId) { answers_.erase(jobId); }
  // The requests raised since the last drain, as the host reads them.
  Json drain();
  bool anyToDrain() const { return !unpublished_.empty(); }
  // Keeps the host's answer to a request and returns the request's job; nullopt for an unknown request.
  std::optional<std::string> answerRequest(const std::string& requestId, const Json& result, const std::string& error);

  // For the snapshot (state codec).
  const std::map<std::string, Request>& pending() const { return requests_; }
  const Answers& answers() const { return answers_; }
  std::uint64_t counter() const { return counter_; }
  // An imported request: the host sees it again at the next drain.
  void restoreRequest(const std::string& requestId, Request request);
  void restoreAnswer(const std::string& jobId, const std::string& key, ExternalAnswer answer);
  void restoreCounter(std::uint64_t counter) { counter_ = counter; }

 private:
  std::map<std::string, Request> requests_;  // raised, not answered yet (by request id)
  std::vector<std::string> unpublished_;     // raised since the last drain
  Answers answers_;
  std::uint64_t counter_ = 0;
};

}  // namespace jr
