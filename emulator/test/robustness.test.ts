/**
 * What the emulator does with peers that misbehave: unknown requests, a peer that is not a
 * TWS API client, and version ranges it must negotiate down or refuse.
 */
import { describe, expect, it } from 'vitest';
import type { Logger } from '../src/index.js';
import { rawClient, until, withTimeout } from './helpers.js';
import { emulatorPerTest } from './perTest.js';

const rig = emulatorPerTest();
const { emulator, client } = rig;

describe('robustness', () => {
  it('logs and ignores unknown requests, and closes a peer that is not a TWS API client', async () => {
    const debug: string[] = [];
    const logger: Logger = {
      debug: (m) => debug.push(m),
      info: () => undefined,
      warn: (m) => debug.push(m),
      error: () => undefined,
      child: () => logger,
    };
    await emulator({ logger });
    const raw = await rawClient(rig.emu.port);
    raw.send([71, 2, 30, '']);
    raw.send([999, 1, 'what']);
    raw.send([9, 1, 'x', 'y']); // REQ_CONTRACT_DATA, not supported
    raw.send([49, 1]);
    await until('current time', () => raw.messages.some((m) => m[0] === '49'));
    expect(raw.messages[0][0]).toBe('193');
    expect(debug.filter((m) => m === 'unsupported request ignored')).toHaveLength(2);
    raw.close();
    const bad = await rawClient(rig.emu.port, false);
    bad.sendBytes(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    await withTimeout(bad.closed, 3000, 'the bad peer closed');
    const c = await client(31);
    expect(await withTimeout(c.ib.getCurrentTime(), 3000, 'time')).toBeGreaterThan(0);
  });

  it('negotiates down to the client maximum and refuses a client too old for it', async () => {
    await emulator();
    const low = await rawClient(rig.emu.port, false);
    const hello = Buffer.from('v100..150');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(hello.length);
    low.sendBytes(Buffer.concat([Buffer.from('API\0'), len, hello]));
    await until('server version', () => low.messages.length > 0);
    expect(low.messages[0][0]).toBe('150');
    low.close();
  });

  it('closes a pre-v100 client (a bare "62\\0") within a second, saying why', async () => {
    const warnings: Array<{ msg: string; error?: unknown }> = [];
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (msg, fields) => warnings.push({ msg, error: fields?.error }),
      error: () => undefined,
      child: () => logger,
    };
    await emulator({ logger });
    const old = await rawClient(rig.emu.port, false);
    old.sendBytes(Buffer.from('62\0', 'latin1'));
    await withTimeout(old.closed, 1000, 'the pre-v100 client closed');
    expect(old.messages).toEqual([]);
    expect(warnings).toContainEqual({
      msg: 'closing a client that does not speak the TWS API',
      error: expect.stringContaining('pre-v100 handshake (client version 62)'),
    });
  });

  it('refuses a version range entirely below its minimum (135), as the real gateway does', async () => {
    const warnings: string[] = [];
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (_m, f) => warnings.push(String(f?.error)),
      error: () => undefined,
      child: () => logger,
    };
    await emulator({ logger });
    const low = await rawClient(rig.emu.port, false);
    const hello = Buffer.from('v100..120');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(hello.length);
    low.sendBytes(Buffer.concat([Buffer.from('API\0'), len, hello]));
    await withTimeout(low.closed, 1000, 'the too-old client closed');
    expect(low.messages).toEqual([]);
    expect(warnings).toContain('client accepts server versions 100..120; the emulator speaks 135..193');
  });
});
