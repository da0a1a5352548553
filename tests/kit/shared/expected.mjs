// What tests/kit/shared/lifecycle.mjs returns when the package works, and a check that lists the differences.

export const EXPECTED = {
  steps: ["policy:201", "queue:201", "worker:201", "job:201", "offered:200", "reoffered:200", "accept:200", "complete:200", "close:200", "getJob:200"],
  events: [
    "RouterWorkerRegistered",
    "RouterJobReceived",
    "RouterJobQueued",
    "RouterWorkerOfferIssued",
    "RouterWorkerOfferExpired",
    "RouterWorkerOfferIssued",
    "RouterWorkerOfferAccepted",
    "RouterJobCompleted",
    "RouterJobClosed",
  ],
  start: "2024-01-01T00:00:00+00:00",
  afterAdvance: "2024-01-01T00:00:31+00:00",
  offers: [1, 1, true],
  job: { id: "kit-job", status: "closed", dispositionCode: "Resolved", assignments: 1 },
  missing: { status: "404", unexpected: true },
};

/** Differences between a lifecycle summary and EXPECTED, as readable lines (empty: all as expected). */
export function differences(summary) {
  if (summary === null || typeof summary !== "object") return [`no summary (got ${JSON.stringify(summary)})`];
  const problems = [];
  for (const [key, want] of Object.entries(EXPECTED)) {
    const got = key === "missing" && summary.missing
      ? { status: summary.missing.status, unexpected: summary.missing.unexpected }
      : summary[key];
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      problems.push(`${key}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
    }
  }
  return problems;
}
