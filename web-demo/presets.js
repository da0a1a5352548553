// Ready scenarios. Each one is a list of ordinary SDK calls (they appear in the "SDK calls" panel
// as they run), a short title for the picker (and a longer name), a one-line summary, what to try
// next, and defaults for the "New job" form.
//
// run(sdk) gets `sdk.call(label, template, ids, verb, options)` (the same helper every button of the
// page uses) and `sdk.nowMillis()` (the virtual clock).

const MERGE = "application/merge-patch+json";

function upsert(sdk, label, template, id, body) {
  return sdk.call(label, template, [id], "patch", { contentType: MERGE, body });
}
const distributionPolicy = (sdk, id, body) =>
  upsert(sdk, `Distribution policy ${id}`, "/routing/distributionPolicies/{distributionPolicyId}", id, body);
const exceptionPolicy = (sdk, id, body) =>
  upsert(sdk, `Exception policy ${id}`, "/routing/exceptionPolicies/{exceptionPolicyId}", id, body);
const classificationPolicy = (sdk, id, body) =>
  upsert(sdk, `Classification policy ${id}`, "/routing/classificationPolicies/{classificationPolicyId}", id, body);
const queue = (sdk, id, body) => upsert(sdk, `Queue ${id}`, "/routing/queues/{queueId}", id, body);
const worker = (sdk, id, body) => upsert(sdk, `Worker ${id}`, "/routing/workers/{workerId}", id, body);
const job = (sdk, id, body) => upsert(sdk, `Job ${id}`, "/routing/jobs/{jobId}", id, body);

/** A worker that is available for offers on the given queues and channels (one job per unit). */
function agent(queues, labels, channels = ["voice"], capacity = 1) {
  return {
    capacity,
    queues,
    channels: channels.map((channelId) => ({ channelId, capacityCostPerJob: 1 })),
    labels,
    availableForOffers: true,
  };
}

export const PRESETS = [
  {
    id: "simple",
    title: "Simple queue",
    summary:
      "One queue, two agents, longest-idle distribution. Offers expire after 30 seconds of virtual time.",
    hint:
      "Press “+ Job” on the Support queue (or use New job below). The job is offered to the agent idle the " +
      "longest: accept it on the agent's card, then Complete and Close. Leave an offer alone and press " +
      "+10 s three times: at 30 s it expires and the job is offered again.",
    formDefaults: { channelId: "voice", route: "queue", queueId: "support", labels: "", selectors: "" },
    async run(sdk) {
      await distributionPolicy(sdk, "longest-idle", {
        name: "Longest idle, 30 s offers",
        offerExpiresAfterSeconds: 30,
        mode: { kind: "longestIdle" },
      });
      await queue(sdk, "support", { name: "Support", distributionPolicyId: "longest-idle" });
      await worker(sdk, "alice", agent(["support"], { team: "support" }, ["voice", "chat"]));
      await worker(sdk, "bob", agent(["support"], { team: "support" }));
    },
  },
  {
    id: "skills",
    title: "Skills-based routing",
    name: "Skills-based routing with classification",
    summary:
      "A classification policy reads each job's labels: the language picks the queue, VIP jobs get priority " +
      "10, billing jobs ask for agents with billing skill ≥ 5.",
    hint:
      "Three jobs were classified on arrival: look at their queue and priority. Open “Why not offered?” on a " +
      "job to see, worker by worker, why it can or cannot take it. Create jobs with other labels " +
      "(language=es, product=tv, vip=true) to see where they land.",
    formDefaults: {
      channelId: "voice",
      route: "classification",
      classificationPolicyId: "triage",
      labels: "language=en, product=billing, vip=false",
      selectors: "",
    },
    async run(sdk) {
      await distributionPolicy(sdk, "longest-idle", {
        name: "Longest idle, 60 s offers",
        offerExpiresAfterSeconds: 60,
        mode: { kind: "longestIdle" },
      });
      await queue(sdk, "english", { name: "English", distributionPolicyId: "longest-idle", labels: { language: "en" } });
      await queue(sdk, "spanish", { name: "Spanish", distributionPolicyId: "longest-idle", labels: { language: "es" } });
      await classificationPolicy(sdk, "triage", {
        name: "Triage by language and product",
        fallbackQueueId: "english",
        queueSelectorAttachments: [{ kind: "passThrough", key: "language", labelOperator: "equal" }],
        prioritizationRule: { kind: "expression", language: "powerFx", expression: "If(job.vip = true, 10, 1)" },
        workerSelectorAttachments: [
          {
            kind: "conditional",
            condition: { kind: "expression", language: "powerFx", expression: 'job.product = "billing"' },
            workerSelectors: [{ key: "billing", labelOperator: "greaterThanOrEqual", value: 5 }],
          },
        ],
      });
      await worker(sdk, "ana", agent(["spanish"], { billing: 8, language: "es" }, ["voice", "chat"]));
      await worker(sdk, "ben", agent(["english"], { billing: 2, language: "en" }, ["voice", "chat"]));
      await worker(sdk, "cleo", agent(["english"], { billing: 9, language: "en" }, ["voice", "chat"]));
      await job(sdk, "call-1", {
        channelId: "voice",
        classificationPolicyId: "triage",
        labels: { language: "es", product: "billing", vip: false },
      });
      await job(sdk, "call-2", {
        channelId: "voice",
        classificationPolicyId: "triage",
        labels: { language: "en", product: "billing", vip: true },
      });
      await job(sdk, "chat-1", {
        channelId: "chat",
        classificationPolicyId: "triage",
        labels: { language: "en", product: "tv", vip: false },
      });
    },
  },
  {
    id: "best-worker",
    title: "Best-worker scoring",
    summary:
      "bestWorker distribution scores every eligible worker with an expression: experience × 10, plus 50 " +
      "when the worker speaks the job's language. The highest score gets the offer.",
    hint:
      "Create a job with language=es: Fay (experience 6, speaks es: 110) beats Dana (experience 9: 90). " +
      "With language=en, Dana wins. Decline an offer to see it go to the next best worker.",
    formDefaults: { channelId: "voice", route: "queue", queueId: "sales", labels: "language=es", selectors: "" },
    async run(sdk) {
      await distributionPolicy(sdk, "best-fit", {
        name: "Best fit by experience and language",
        offerExpiresAfterSeconds: 60,
        mode: {
          kind: "bestWorker",
          scoringRule: {
            kind: "expression",
            language: "powerFx",
            expression: "worker.experience * 10 + If(worker.language = job.language, 50, 0)",
          },
        },
      });
      await queue(sdk, "sales", { name: "Sales", distributionPolicyId: "best-fit" });
      await worker(sdk, "dana", agent(["sales"], { experience: 9, language: "en" }));
      await worker(sdk, "eli", agent(["sales"], { experience: 3, language: "es" }));
      await worker(sdk, "fay", agent(["sales"], { experience: 6, language: "es" }));
    },
  },
  {
    id: "escalation",
    title: "Escalation",
    name: "Escalation with an exception policy",
    summary:
      "Gus, the only front-line agent, is busy. The Frontline queue's exception policy moves a job that " +
      "waited 60 seconds to the Supervisors queue at priority 10.",
    hint:
      "call-2 waits in Frontline. Press +1 min: the wait-time rule fires (RouterJobExceptionTriggered), the " +
      "job moves to Supervisors and Sam gets the offer.",
    formDefaults: { channelId: "voice", route: "queue", queueId: "frontline", labels: "", selectors: "" },
    async run(sdk) {
      await distributionPolicy(sdk, "longest-idle", {
        name: "Longest idle, 30 s offers",
        offerExpiresAfterSeconds: 30,
        mode: { kind: "longestIdle" },
      });
      await queue(sdk, "supervisors", { name: "Supervisors", distributionPolicyId: "longest-idle" });
      await exceptionPolicy(sdk, "escalate", {
        name: "Escalate after one minute",
        exceptionRules: [
          {
            id: "waited-60s",
            trigger: { kind: "waitTime", thresholdSeconds: 60 },
            actions: [{ kind: "manualReclassify", queueId: "supervisors", priority: 10 }],
          },
        ],
      });
      await queue(sdk, "frontline", {
        name: "Frontline",
        distributionPolicyId: "longest-idle",
        exceptionPolicyId: "escalate",
      });
      await worker(sdk, "gus", agent(["frontline"], { tier: 1 }));
      await worker(sdk, "sam", agent(["supervisors"], { tier: 2 }));
      await job(sdk, "call-1", { channelId: "voice", queueId: "frontline" });
      const gus = await sdk.call("Read worker gus", "/routing/workers/{workerId}", ["gus"], "get");
      const offer = gus.body?.offers?.[0];
      if (offer) {
        await sdk.call(
          `gus accepts ${offer.jobId}`,
          "/routing/workers/{workerId}/offers/{offerId}:accept",
          ["gus", offer.offerId],
          "post",
        );
      }
      await job(sdk, "call-2", { channelId: "voice", queueId: "frontline" });
    },
  },
  {
    id: "scheduled",
    title: "Scheduled callbacks",
    summary:
      "Two callbacks are scheduled for 1 and 2 minutes from now (scheduleAndSuspend). At their time they " +
      "wait for activation; activating one queues it.",
    hint:
      "Press +1 min: callback-1 becomes “waitingForActivation”. Press its Activate button (a PATCH with " +
      "matchingMode queueAndMatch) and Hana gets the offer.",
    formDefaults: {
      channelId: "voice",
      route: "queue",
      queueId: "callbacks",
      labels: "",
      selectors: "",
      matchingMode: "scheduleAndSuspend",
    },
    async run(sdk) {
      await distributionPolicy(sdk, "longest-idle", {
        name: "Longest idle, 60 s offers",
        offerExpiresAfterSeconds: 60,
        mode: { kind: "longestIdle" },
      });
      await queue(sdk, "callbacks", { name: "Callbacks", distributionPolicyId: "longest-idle" });
      await worker(sdk, "hana", agent(["callbacks"], { team: "callbacks" }));
      const now = sdk.nowMillis();
      for (const [id, minutes] of [["callback-1", 1], ["callback-2", 2]]) {
        await job(sdk, id, {
          channelId: "voice",
          queueId: "callbacks",
          matchingMode: {
            kind: "scheduleAndSuspend",
            scheduleAt: new Date(now + minutes * 60_000).toISOString(),
          },
        });
      }
    },
  },
];
