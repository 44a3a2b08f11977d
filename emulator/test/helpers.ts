/**
 * Test helpers: a real @stoqey/ib client (IBApiNext, with its IBApi underneath) wired to
 * record every decoding error (505), error and info message it sees.
 */
import { EventName, IBApiNext, type IBApi } from '@stoqey/ib';
import { filter, firstValueFrom, type Observable } from 'rxjs';
import { Decoder, type DecoderCallbacks } from '@stoqey/ib/dist/core/io/decoder.js';
import type { Field } from '../src/protocol/framing.js';
import { encodeClientHello, encodeFrame } from '../src/protocol/framing.js';
import type { Emulator } from '../src/index.js';
import { waitFor } from '@traderadmin/test-support';

export interface TestClient {
  ib: IBApiNext;
  /** The IBApi underneath (raw events). */
  api: IBApi;
  /** Every error event: [code, message, reqId]. */
  errors: Array<{ code: number; message: string; reqId: number | undefined }>;
  /** Every info event (TWS messages with reqId -1). */
  infos: Array<{ code: number; message: string }>;
  /** Decoding errors (code 505): must stay empty in every test. */
  decodeErrors: string[];
  closed: number;
  disconnect(): void;
}

/** ConnectionState.Connected in @stoqey/ib. */
export const CONNECTED = 2;
export const DISCONNECTED = 0;

/** Creates a client for an emulator and connects it with a fixed client id. */
export async function connectClient(
  emu: Pick<Emulator, 'host' | 'port'>,
  clientId: number,
  opts: { reconnectInterval?: number; wait?: boolean } = {},
): Promise<TestClient> {
  const ib = new IBApiNext({ host: emu.host, port: emu.port, reconnectInterval: opts.reconnectInterval ?? 0, logger: quietLogger });
  const api = (ib as unknown as { api: IBApi }).api;
  const client: TestClient = {
    ib,
    api,
    errors: [],
    infos: [],
    decodeErrors: [],
    closed: 0,
    disconnect: () => ib.disconnect(),
  };
  api.on(EventName.error, (error: Error, code: number, reqId: number) => {
    const message = error?.message ?? String(error);
    client.errors.push({ code, message, reqId });
    if (code === 505 || /Decoding error|Underrun error/.test(message)) client.decodeErrors.push(message);
  });
  api.on(EventName.info, (message: string, code: number) => client.infos.push({ code, message }));
  api.on(EventName.disconnected, () => client.closed++);
  // IBApiNext reports Connected on the server version; the session is ready (startApi
  // answered) only when nextValidId arrives.
  const ready = new Promise<void>((resolve) => api.once(EventName.nextValidId, () => resolve()));
  ib.connect(clientId);
  if (opts.wait !== false) {
    await waitConnected(ib);
    await withTimeout(ready, 5000, 'nextValidId');
  }
  return client;
}

export async function waitConnected(ib: IBApiNext, timeoutMs = 5000): Promise<void> {
  await withTimeout(firstValueFrom(ib.connectionState.pipe(filter((s) => s === CONNECTED))), timeoutMs, 'connected');
}

/** The first value of an observable that satisfies a predicate. */
export function firstMatching<T>(
  source: Observable<T>,
  predicate: (v: T) => boolean,
  timeoutMs = 5000,
  what = 'a matching value',
): Promise<T> {
  return withTimeout(firstValueFrom(source.pipe(filter(predicate))), timeoutMs, what);
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]);
}

/** Polls a condition every 20 ms until it holds. */
export function until(what: string, condition: () => boolean, timeoutMs = 3000): Promise<true> {
  return waitFor(what, () => condition() || undefined, { timeoutMs, intervalMs: 20 });
}

/** Resolves true if the promise settles within ms, false otherwise. */
export async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const r = await Promise.race([
    p.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]);
  clearTimeout(timer);
  return r;
}

const noop = () => undefined;
/** IBApiNext logs through this; tests read events, not logs. */
export const quietLogger = { debug: noop, info: noop, warn: noop, error: noop };

/**
 * Runs one encoded message through the real @stoqey/ib Decoder at a server version and
 * returns the events it emitted and any errors (a 505 shows up here).
 */
export function decodeWithRealClient(
  serverVersion: number,
  fields: Field[],
): {
  events: Array<{ name: string; args: unknown[] }>;
  errors: Array<{ message: string; code: number }>;
  infos: Array<{ message: string; code: number }>;
} {
  const events: Array<{ name: string; args: unknown[] }> = [];
  const errors: Array<{ message: string; code: number }> = [];
  const infos: Array<{ message: string; code: number }> = [];
  const callbacks: DecoderCallbacks = {
    serverVersion,
    emitEvent: (name: EventName, ...args: unknown[]) => events.push({ name, args }),
    emitError: (message: string, code: number) => errors.push({ message, code }),
    emitInfo: (message: string, code: number) => infos.push({ message, code }),
  };
  const decoder = new Decoder(callbacks);
  // What @stoqey/ib's socket does with a frame: read the length, split the payload on NUL,
  // and keep a last piece not ended by NUL as a fragment (which would corrupt the next message).
  const frame = encodeFrame(fields);
  const payload = frame.subarray(4, 4 + frame.readUInt32BE(0)).toString('utf8');
  const tokens = payload.split('\0');
  if (tokens[tokens.length - 1] !== '') errors.push({ message: `frame does not end with NUL: ${JSON.stringify(payload)}`, code: -1 });
  decoder.enqueueMessage(tokens.slice(0, -1));
  decoder.process();
  return { events, errors, infos };
}

/** A bare TCP client speaking the protocol by hand, for what IBApiNext cannot send. */
export interface RawClient {
  messages: string[][];
  send(fields: Field[]): void;
  sendBytes(bytes: Buffer): void;
  closed: Promise<void>;
  close(): void;
}

export async function rawClient(port: number, hello = true): Promise<RawClient> {
  const net = await import('node:net');
  const socket = net.connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const messages: string[][] = [];
  let buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    while (buffer.length >= 4 && buffer.length >= 4 + buffer.readUInt32BE(0)) {
      const size = buffer.readUInt32BE(0);
      messages.push(
        buffer
          .subarray(4, 4 + size)
          .toString('utf8')
          .split('\0')
          .slice(0, -1),
      );
      buffer = buffer.subarray(4 + size);
    }
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  if (hello) socket.write(encodeClientHello());
  return {
    messages,
    send: (fields) => socket.write(encodeFrame(fields)),
    sendBytes: (bytes) => socket.write(bytes),
    closed,
    close: () => socket.destroy(),
  };
}
