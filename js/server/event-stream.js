// The server's event log and its Server-Sent-Events stream (GET /emulator/events).
//
// Every router event the emulator publishes gets a stream id (1, 2, 3, … for the life of the server
// process) and is kept in a ring of the last `capacity` events, so a client that reconnects with
// Last-Event-ID (or ?lastEventId=) receives what it missed, in order. A client that asks for an id
// older than the ring gets a "gap" message first, then everything still kept.

const KEEPALIVE_MS = 15_000;
// A client that reads slower than events come (or never reads) would make the server buffer without bound: past
// this many bytes waiting for it, its stream is ended; it reconnects with Last-Event-ID and gets the missed events
// from the ring (or a "gap" message when they have left it).
const MAX_PENDING_BYTES = 4 * 1024 * 1024;

/** @typedef {{ id: number, type: string, json: string }} Entry */
/** @typedef {{ res: import("node:http").ServerResponse, filter: Set<string> | null, limit: number }} Client */

export class EventStream {
  /** @param {{ capacity?: number }} [options] */
  constructor({ capacity = 10_000 } = {}) {
    this.capacity = capacity;
    /** @type {Entry[]} */
    this._ring = [];
    this._nextId = 1;
    /** @type {Set<Client>} */
    this._clients = new Set();
    /** @type {ReturnType<typeof setInterval> | null} */
    this._keepalive = null;
  }

  /** Id of the last event published (0 before the first). */
  get lastId() {
    return this._nextId - 1;
  }

  /** Number of connected stream clients. */
  get clientCount() {
    return this._clients.size;
  }

  /**
   * Adds one router event (Event Grid schema) and sends it to the connected clients.
   * @param {Record<string, any>} event
   */
  publish(event) {
    const entry = { id: this._nextId++, type: String(event?.eventType ?? ""), json: JSON.stringify(event) };
    this._ring.push(entry);
    if (this._ring.length > this.capacity) this._ring.splice(0, this._ring.length - this.capacity);
    for (const client of this._clients) this._send(client, entry);
  }

  /**
   * Serves GET /emulator/events: an SSE response that replays events after Last-Event-ID (or the
   * lastEventId query parameter; "0" replays everything kept) and then streams new ones.
   * Query `types=RouterWorkerOfferIssued,RouterJobQueued` limits the stream to those types.
   * `extraHeaders` (CORS) are added to the response.
   * @param {import("node:http").IncomingMessage} req
   * @param {import("node:http").ServerResponse} res
   * @param {URL} url
   * @param {Record<string, string>} [extraHeaders]
   */
  attach(req, res, url, extraHeaders = {}) {
    const header = req.headers["last-event-id"];
    const resumeText = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get("lastEventId");
    const typesText = url.searchParams.get("types");
    const filter = typesText
      ? new Set(
          typesText
            .split(",")
            .map((/** @type {string} */ t) => t.trim())
            .filter(Boolean)
            .map((/** @type {string} */ t) => (t.includes(".") ? t : `Microsoft.Communication.${t}`)),
        )
      : null;
    res.writeHead(200, {
      ...extraHeaders,
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    res.write("retry: 1000\n\n");
    // limit: the replay below (at most the ring) is written whole; then at most MAX_PENDING_BYTES more may wait.
    /** @type {Client} */
    const client = { res, filter, limit: Infinity };
    if (resumeText !== undefined && resumeText !== null && resumeText !== "") {
      const after = Number(resumeText);
      if (Number.isSafeInteger(after) && after >= 0) {
        const oldest = this._ring.length ? this._ring[0].id : this._nextId;
        if (after + 1 < oldest) {
          res.write(`event: gap\ndata: ${JSON.stringify({ missedFrom: after + 1, missedTo: oldest - 1 })}\n\n`);
        }
        for (const entry of this._ring) if (entry.id > after) this._send(client, entry);
      }
    }
    if (res.destroyed) return;
    client.limit = res.writableLength + MAX_PENDING_BYTES;
    this._clients.add(client);
    this._startKeepalive();
    const detach = () => {
      this._clients.delete(client);
      if (this._clients.size === 0) this._stopKeepalive();
    };
    req.on("close", detach);
    res.on("close", detach);
  }

  /** Ends every stream (server shutdown). */
  closeAll() {
    for (const client of this._clients) client.res.end();
    this._clients.clear();
    this._stopKeepalive();
  }

  /** @param {Client} client @param {Entry} entry */
  _send(client, entry) {
    if (client.filter && !client.filter.has(entry.type)) return;
    this._write(client, `id: ${entry.id}\nevent: ${entry.type}\ndata: ${entry.json}\n\n`);
  }

  /**
   * Writes to a client's stream, or drops the client when too much is already waiting for it.
   * @param {Client} client
   * @param {string} text
   */
  _write(client, text) {
    if (client.res.writableLength > client.limit) {
      this._clients.delete(client);
      client.res.destroy();
      return;
    }
    client.res.write(text);
  }

  _startKeepalive() {
    if (this._keepalive) return;
    this._keepalive = setInterval(() => {
      for (const client of this._clients) this._write(client, ": keepalive\n\n");
    }, KEEPALIVE_MS);
    this._keepalive.unref();
  }

  _stopKeepalive() {
    if (this._keepalive) clearInterval(this._keepalive);
    this._keepalive = null;
  }
}
