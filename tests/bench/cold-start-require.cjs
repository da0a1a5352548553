// Cold start through require() in a fresh Node process (jest and other CommonJS users): require of the package
// (its CommonJS build, js/cjs/) plus the first request through the client, as tests/bench/cold-start.mjs does for
// import. Prints one JSON object (milliseconds, and the minor page faults they took).
const faults0 = process.resourceUsage().minorPageFault;
const t0 = performance.now();
const { default: JobRouter } = require("jobrouter-emulator");
const t1 = performance.now();
const client = JobRouter("endpoint=https://cold.communication.azure.com/;accesskey=ZGV2", {
  emulator: { clock: "manual" },
});
client
  .path("/routing/queues/{queueId}", "q")
  .patch({ contentType: "application/merge-patch+json", body: { distributionPolicyId: "missing" } })
  .then((res) => {
    const t2 = performance.now();
    const pageFaults = process.resourceUsage().minorPageFault - faults0;
    if (res.status !== "400") throw new Error(`unexpected status ${res.status}`);
    console.log(JSON.stringify({ importMs: t1 - t0, firstRequestMs: t2 - t1, totalMs: t2 - t0, pageFaults }));
  });
