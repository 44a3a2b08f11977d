/**
 * Framing of the TWS API v100+ protocol: every message is a 4-byte big-endian length
 * followed by NUL-terminated fields. The client's first write is special: the raw bytes
 * "API\0" and then one length-prefixed frame holding the version range ("v100..193").
 */

/** A field value before encoding; booleans become 0/1, null/undefined become "". */
export type Field = string | number | boolean | null | undefined;

const NUL = '\0';
/** Same ceiling as @stoqey/ib (MAX_V100_MESSAGE_LENGTH): a longer frame means a broken peer. */
export const MAX_FRAME_BYTES = 0xffffff;

/** Renders one field the way the Java/TWS side does: ints and doubles in plain decimal. */
export function fieldText(value: Field): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '';
    if (value === Number.MAX_VALUE) return '1.7976931348623157E308';
    return String(value);
  }
  // A NUL inside a field would split it into two on the client: never let one through.
  return value.includes(NUL) ? value.replaceAll(NUL, '') : value;
}

/** Encodes fields as one frame: length prefix, then every field followed by NUL (the last one too). */
export function encodeFrame(fields: readonly Field[]): Buffer {
  const payload = Buffer.from(fields.map((f) => fieldText(f) + NUL).join(''), 'utf8');
  const frame = Buffer.allocUnsafe(4 + payload.length);
  frame.writeUInt32BE(payload.length, 0);
  payload.copy(frame, 4);
  return frame;
}

/** Splits a frame payload into its fields (the trailing NUL ends the last field). */
export function splitFields(payload: Buffer): string[] {
  const text = payload.toString('utf8');
  const parts = text.split(NUL);
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Thrown for bytes that cannot be a TWS API client: the session is closed. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

/**
 * Incremental reader of a client's byte stream: accepts arbitrary TCP chunking (split
 * and coalesced frames) and yields whole messages as field arrays.
 */
export class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);
  private sawPrefix = false;

  /** True once the "API\0" prefix has been read. */
  get handshakeStarted(): boolean {
    return this.sawPrefix;
  }

  /** Adds bytes and returns every complete message they finish. */
  push(chunk: Buffer): string[][] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const out: string[][] = [];
    if (!this.sawPrefix) {
      // Judge every byte as it arrives: a pre-v100 client sends only "62\0" and then waits
      // for an answer, so waiting for four bytes would leave it hanging forever.
      const seen = this.buffer.toString('latin1', 0, Math.min(4, this.buffer.length));
      if (!'API\0'.startsWith(seen)) {
        const legacy = /^(\d+)\0/.exec(this.buffer.toString('latin1', 0, Math.min(16, this.buffer.length)));
        throw new ProtocolError(
          legacy
            ? `pre-v100 handshake (client version ${legacy[1]}): only the v100+ TWS API protocol ("API\\0" + version range) is supported; use a current client such as @stoqey/ib`
            : 'expected "API\\0": only the v100+ TWS API protocol is supported',
        );
      }
      if (this.buffer.length < 4) return out;
      this.sawPrefix = true;
      this.buffer = this.buffer.subarray(4);
    }
    while (this.buffer.length >= 4) {
      const size = this.buffer.readUInt32BE(0);
      if (size > MAX_FRAME_BYTES) throw new ProtocolError(`frame of ${size} bytes exceeds ${MAX_FRAME_BYTES}`);
      if (this.buffer.length < 4 + size) break;
      out.push(splitFields(this.buffer.subarray(4, 4 + size)));
      this.buffer = this.buffer.subarray(4 + size);
    }
    return out;
  }
}

/** Parses the client's version range, e.g. "v100..193" or "v100..193 +PACEAPI". */
export function parseVersionRange(text: string): { min: number; max: number } {
  const m = /^v(\d+)(?:\.\.(\d+))?/.exec(text.trim());
  if (!m) throw new ProtocolError(`bad version range ${JSON.stringify(text)}`);
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : Number(m[2]);
  return { min, max };
}

/**
 * Encodes the client's opening bytes ("API\0" + version frame). Used by tests and by
 * anything that wants to speak to the emulator without @stoqey/ib.
 */
export function encodeClientHello(min = 100, max = 193): Buffer {
  const version = Buffer.from(`v${min}..${max}`, 'utf8');
  const len = Buffer.allocUnsafe(4);
  len.writeUInt32BE(version.length, 0);
  return Buffer.concat([Buffer.from('API\0', 'latin1'), len, version]);
}
