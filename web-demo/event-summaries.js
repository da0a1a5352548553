// One line of the demo's event list per router event type, from the event's data (`d`). Keyed by the short type
// names of js/generated/events.js: tests/js/demo.test.mjs fails when a type the emulator publishes has no line here.
// No DOM: Node imports this module too.

/** @type {Readonly<Record<string, (d: Record<string, any>) => string>>} */
export const EVENT_SUMMARIES = Object.freeze({
  RouterJobReceived: (d) => `${d.jobId} received on ${d.channelId}${d.queueId ? ` for ${d.queueId}` : ""}`,
  RouterJobClassified: (d) => `${d.jobId} classified: queue ${d.queueId ?? "?"}, priority ${d.priority ?? "?"}`,
  RouterJobClassificationFailed: (d) =>
    `${d.jobId} classification failed${d.errors?.[0]?.message ? `: ${d.errors[0].message}` : ""}`,
  RouterJobQueued: (d) => `${d.jobId} queued in ${d.queueId}`,
  RouterJobCancelled: (d) => `${d.jobId} cancelled`,
  RouterJobCompleted: (d) => `${d.jobId} completed by ${d.workerId}`,
  RouterJobClosed: (d) => `${d.jobId} closed${d.dispositionCode ? ` (${d.dispositionCode})` : ""}`,
  RouterJobUnassigned: (d) => `${d.jobId} unassigned from ${d.workerId}`,
  RouterJobDeleted: (d) => `${d.jobId} deleted`,
  RouterJobWaitingForActivation: (d) => `${d.jobId} waits for activation`,
  RouterJobSchedulingFailed: (d) => `${d.jobId} scheduling failed${d.failureReason ? `: ${d.failureReason}` : ""}`,
  RouterJobWorkerSelectorsExpired: (d) => `${d.jobId}: worker selectors expired`,
  RouterJobExceptionTriggered: (d) => `${d.jobId}: exception rule ${d.ruleKey ?? ""} fired`,
  RouterWorkerOfferIssued: (d) => `${d.jobId} offered to ${d.workerId}`,
  RouterWorkerOfferAccepted: (d) => `${d.workerId} accepted ${d.jobId}`,
  RouterWorkerOfferDeclined: (d) => `${d.workerId} declined ${d.jobId}`,
  RouterWorkerOfferRevoked: (d) => `offer of ${d.jobId} to ${d.workerId} revoked`,
  RouterWorkerOfferExpired: (d) => `offer of ${d.jobId} to ${d.workerId} expired`,
  RouterWorkerRegistered: (d) => `${d.workerId} registered (available)`,
  RouterWorkerDeregistered: (d) => `${d.workerId} deregistered`,
  RouterWorkerUpdated: (d) =>
    `${d.workerId} updated${d.updatedWorkerProperties ? `: ${d.updatedWorkerProperties.join(", ")}` : ""}`,
  RouterWorkerDeleted: (d) => `${d.workerId} deleted`,
});

/**
 * The event list's line for an event of short type `type`.
 * @param {string} type
 * @param {Record<string, any>} d the event's data
 */
export function eventSummary(type, d) {
  const summary = Object.hasOwn(EVENT_SUMMARIES, type) ? EVENT_SUMMARIES[type] : undefined;
  return summary ? summary(d) : d.jobId ?? d.workerId ?? "";
}
