// JobRouter(endpoint) with no credential: the declarations make the credential optional, and the
// in-process client signs nothing, so an endpoint URL alone is accepted (issue 13). Connection
// strings and endpoint + credential keep working; malformed endpoints still throw.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";

const coreUrl = new URL("../../js/generated/jobrouter-core.js", import.meta.url);
const skip = existsSync(coreUrl)
  ? false
  : "js/generated/jobrouter-core.js is absent: build the WebAssembly core first (npm run build)";

const { default: JobRouter } = await import("../../js/node.js");

test("an endpoint URL without a credential makes a working client", { skip }, async () => {
  const client = JobRouter("https://no-credential-1.communication.azure.com");
  const res = await client.path("/routing/jobs").get();
  assert.equal(res.status, "200");
  assert.deepEqual(res.body.value, []);
  // Same resource as the connection string and endpoint + credential forms of that endpoint.
  const byConnection = JobRouter("endpoint=https://no-credential-1.communication.azure.com/;accesskey=ZGV2");
  const byKey = JobRouter("https://NO-CREDENTIAL-1.communication.azure.com/", { key: "k" });
  assert.equal(byConnection.emulator, client.emulator);
  assert.equal(byKey.emulator, client.emulator);
  client.emulator.dispose();
});

test("options after an endpoint: as the second argument, or the third after an undefined credential", { skip }, () => {
  const second = JobRouter("http://no-credential-2.test:8089/", { emulator: { clock: "manual", seed: 3 } });
  assert.equal(second.emulator.options.clock, "manual");
  assert.equal(second.emulator.options.seed, 3);
  second.emulator.dispose();
  const third = JobRouter("https://no-credential-3.communication.azure.com", undefined, { emulator: { clock: "manual", seed: 4 } });
  assert.equal(third.emulator.options.clock, "manual");
  assert.equal(third.emulator.options.seed, 4);
  third.emulator.dispose();
});

test("malformed endpoints and connection strings still throw", { skip }, () => {
  assert.throws(() => JobRouter("https://x.com/some/path"), /Invalid endpoint url/);
  assert.throws(() => JobRouter("https://"), /Invalid endpoint url/);
  assert.throws(() => JobRouter("ftp://x.com/"), /Invalid connection string/);
  assert.throws(() => JobRouter("x.communication.azure.com"), /Invalid connection string/);
  assert.throws(() => JobRouter("endpoint=https://x.com/;accesskey="), /Invalid connection string/);
});
