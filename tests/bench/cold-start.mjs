// Cold start in a fresh Node process: import of the package (which loads and instantiates the WebAssembly core)
// plus the first request through the client. The package is imported by its name, so Node resolves it as it does
// for users (package.json's `node` export: the bundle of js/bundle/). Prints one JSON object (milliseconds, and
// the minor page faults the import and the request took: most of a cold start on a VM whose page faults are dear).
const faults0 = process.resourceUsage().minorPageFault;
const t0 = performance.now();
const { default: JobRouter } = await import("jobrouter-emulator");
const t1 = performance.now();
const client = JobRouter("endpoint=https://cold.communication.azure.com/;accesskey=ZGV2", {
  emulator: { clock: "manual" },
});
const res = await client.path("/routing/queues/{queueId}", "q").patch({
  contentType: "application/merge-patch+json",
  body: { distributionPolicyId: "missing" },
});
const t2 = performance.now();
const pageFaults = process.resourceUsage().minorPageFault - faults0;
if (res.status !== "400") throw new Error(`unexpected status ${res.status}`);
console.log(JSON.stringify({ importMs: t1 - t0, firstRequestMs: t2 - t1, totalMs: t2 - t0, pageFaults }));
