// Event Grid-style delivery of router events to a webhook (--event-webhook URL).
//
// Like an Event Grid subscription, the webhook is validated first: it receives a
// Microsoft.EventGrid.SubscriptionValidationEvent (header aeg-event-type: SubscriptionValidation) and
// must answer 200 with {"validationResponse": "<validationCode>"}, or the validationUrl in the event
// (GET on this server) must be called. Until then events wait in the queue. Events are then POSTed as
// JSON arrays (aeg-event-type: Notification), in order, up to MAX_BATCH per request; a failed POST
// (network error or a status outside 200–299) is retried with a doubling delay, and after
// MAX_ATTEMPTS the batch is dropped and kept in `deadLetters` (GET /emulator/webhook shows them).

import { randomUUID } from "node:crypto";

const MAX_BATCH = 10;
const MAX_ATTEMPTS = 8;
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;
const REQUEST_TIMEOUT_MS = 10_000;

export class WebhookDelivery {
  /**
   * @param {object} options
   * @param {string} options.url the webhook
   * @param {string} options.validationUrl base URL of this server's manual validation endpoint
   * @param {(line: string) => void} [options.log]
   */
  constructor({ url, validationUrl, log = () => {} }) {
    this.url = new URL(url).toString();
    this._validationBase = validationUrl;
    this._log = log;
    this.validationCode = randomUUID();
    /** "pending" → "validated" (or "failed" when the handshake was refused; retried with each new event) */
    this.state = "pending";
    /** @type {object[]} */
    this._queue = [];
    this.delivered = 0;
    this.batches = 0;
    /** @type {{ events: object[], error: string }[]} */
    this.deadLetters = [];
    /** @type {Promise<void> | null} the delivery loop while it runs */
    this._running = null;
    this._closed = false;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this._timer = null;
    /** @type {((value?: unknown) => void) | null} ends the current _sleep() early */
    this._wake = null;
  }

  /**
   * Queues events for delivery (called after every request or clock step that published some).
   * @param {object[]} events
   */
  enqueue(events) {
    if (this._closed || events.length === 0) return;
    this._queue.push(...events);
    this._kick();
  }

  /** Starts the validation handshake (events queue until it succeeds). */
  start() {
    this._kick();
  }

  /**
   * Marks the subscription validated through the validationUrl (manual handshake).
   * @param {string} code
   */
  validate(code) {
    if (code !== this.validationCode) return false;
    this.state = "validated";
    this._log(`webhook ${this.url}: validated through the validation URL`);
    this._kick();
    return true;
  }

  /** Resolves when the queue is empty (or only waits for validation) and nothing is in flight. */
  async idle() {
    while (this._running) await this._running;
  }

  /** Stops delivering (pending events are dropped). */
  close() {
    this._closed = true;
    if (this._timer) clearTimeout(this._timer);
    if (this._wake) this._wake();
  }

  status() {
    return {
      url: this.url,
      state: this.state,
      queued: this._queue.length,
      delivered: this.delivered,
      batches: this.batches,
      deadLetters: this.deadLetters.length,
    };
  }

  _kick() {
    if (this._running || this._closed) return;
    this._running = this._pump().finally(() => {
      this._running = null;
    });
  }

  async _pump() {
    if (this.state !== "validated") {
      if (!(await this._handshake())) return;
    }
    while (!this._closed && this._queue.length > 0) {
      const batch = this._queue.slice(0, MAX_BATCH);
      let attempt = 0;
      let lastError = "";
      let ok = false;
      for (;;) {
        attempt += 1;
        try {
          const status = await this._post(batch, "Notification", attempt);
          ok = status >= 200 && status < 300;
          if (ok) break;
          lastError = `HTTP ${status}`;
        } catch (error) {
          lastError = error instanceof Error ? error.message : String(error);
        }
        if (this._closed) return;
        if (attempt >= MAX_ATTEMPTS) break;
        await this._sleep(Math.min(FIRST_RETRY_MS * 2 ** (attempt - 1), MAX_RETRY_MS));
        if (this._closed) return;
      }
      this._queue.splice(0, batch.length);
      if (!ok) {
        this.deadLetters.push({ events: batch, error: lastError });
        this._log(`webhook ${this.url}: dropped ${batch.length} event(s) after ${attempt} attempts (${lastError})`);
      } else {
        this.delivered += batch.length;
        this.batches += 1;
      }
    }
  }

  async _handshake() {
    const validationUrl = `${this._validationBase}?code=${encodeURIComponent(this.validationCode)}`;
    const event = {
      id: randomUUID(),
      topic: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/emulator/providers/Microsoft.Communication/communicationServices/jobrouter-emulator",
      subject: "",
      data: { validationCode: this.validationCode, validationUrl },
      eventType: "Microsoft.EventGrid.SubscriptionValidationEvent",
      eventTime: new Date().toISOString(),
      metadataVersion: "1",
      dataVersion: "2",
    };
    try {
      const { status, body } = await this._request([event], "SubscriptionValidation", 1);
      let answer;
      try {
        answer = JSON.parse(body)?.validationResponse;
      } catch {
        answer = undefined;
      }
      if (status >= 200 && status < 300 && answer === this.validationCode) {
        this.state = "validated";
        this._log(`webhook ${this.url}: subscription validated`);
        return true;
      }
      if (this.state === "validated") return true;  // validated manually meanwhile
      this.state = "failed";
      this._log(
        `webhook ${this.url}: the validation handshake was not answered with {"validationResponse": ` +
          `"${this.validationCode}"} (HTTP ${status}); events wait until it is, or until GET ${validationUrl}`,
      );
    } catch (error) {
      if (this.state === "validated") return true;
      this.state = "failed";
      this._log(`webhook ${this.url}: validation handshake failed (${error instanceof Error ? error.message : error})`);
    }
    return false;
  }

  /**
   * @param {object[]} events
   * @param {string} kind "Notification" or "SubscriptionValidation"
   * @param {number} attempt from 1
   */
  async _post(events, kind, attempt) {
    return (await this._request(events, kind, attempt)).status;
  }

  /**
   * @param {object[]} events
   * @param {string} kind
   * @param {number} attempt
   */
  async _request(events, kind, attempt) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    try {
      const response = await fetch(this.url, {
        method: "POST",
        headers: {
          "content-type": "application/json; charset=utf-8",
          "aeg-event-type": kind,
          "aeg-subscription-name": "JOBROUTER-EMULATOR",
          "aeg-delivery-count": String(attempt - 1),
          "aeg-metadata-version": "1",
          "aeg-data-version": kind === "Notification" ? "1.0" : "2",
        },
        body: JSON.stringify(events),
        signal: controller.signal,
      });
      return { status: response.status, body: await response.text() };
    } finally {
      clearTimeout(timer);
    }
  }

  /** @param {number} ms */
  _sleep(ms) {
    return new Promise((resolve) => {
      this._wake = resolve;
      this._timer = setTimeout(resolve, ms);
      this._timer.unref?.();
    });
  }
}
