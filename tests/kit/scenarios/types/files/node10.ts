// The classic CommonJS setup (module commonjs, moduleResolution node10: package.json "types", no "exports").
import JobRouter, { isUnexpected, RouterEmulator } from "jobrouter-emulator";

const client = JobRouter("endpoint=https://types.communication.azure.com/;accesskey=a2l0", { emulator: new RouterEmulator() });
export async function jobStatus(id: string): Promise<string | undefined> {
  const res = await client.path("/routing/jobs/{jobId}", id).get();
  return isUnexpected(res) ? undefined : res.body.status;
}
