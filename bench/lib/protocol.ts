/** Messages between the benchmark's main thread and its load-generating worker threads. */

/** One socket a worker opens: a user's session on a conversation document. */
export interface ConnSpec {
  doc: string;
  cookie: string;
  userId: string;
  /** Index (within the same worker's list) of the socket of the other participant, for pairs. */
  peer: number | null;
  /** Also open this user's event stream (`GET /api/events`), once per user. */
  events: boolean;
}

export type WorkerCommand =
  | {
      op: 'init';
      origin: string;
      wsBase: string;
    }
  | {
      op: 'connect';
      conns: ConnSpec[];
      withDoc: boolean;
      awareness: boolean;
      /** withDoc: send receipts (101) and read markers as the client does (`--no-receipts`: not). */
      receipts: boolean;
      concurrency: number;
    }
  | {
      op: 'rate';
      /** Wall-clock ms at which every worker starts sending. */
      startAt: number;
      durationMs: number;
      /** Messages per second per connected socket. */
      perClientRate: number;
      /** After sending stops, wait at most this long for the last deliveries. */
      drainMs: number;
      /** Message text length in characters. */
      textChars: number;
    }
  | { op: 'close' };

export interface ConnectResult {
  connected: number;
  failed: number;
  /** Event streams opened (one per user). */
  streams: number;
  errors: string[];
  /** Per socket: upgrade request to the server's sync step 2 (ms). */
  handshakeMs: Float64Array;
  /** First connect started, last one synced (wall-clock ms). */
  firstStart: number;
  lastSynced: number;
}

export interface RateResult {
  sent: number;
  received: number;
  lost: number;
  duplicated: number;
  /** Sender's push to receiver's observe (ms). */
  latencyMs: Float64Array;
  /** Sender's push to the server's acknowledgement that it stored it (ms). */
  storedMs: Float64Array;
  /** How late the generator pushed each message relative to its schedule (ms). */
  lagMs: Float64Array;
  /** Sockets the server closed during the run, by close code. */
  closes: Record<string, number>;
  /** Server-Sent Events received on the users' event streams during the run. */
  events: number;
}

export type WorkerReply =
  | { ok: true; op: 'init' | 'close' }
  | ({ ok: true; op: 'connect' } & ConnectResult)
  | ({ ok: true; op: 'rate' } & RateResult)
  | { ok: false; op: string; error: string };
