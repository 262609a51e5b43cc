import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventBus } from '../../ipc/events';
import { createRouter } from '../../ipc/router';
import { fakeHandlers } from '../../ipc/test-support/fake-handlers';
import { silentLogger } from '../../log/logger';
import { harnessSenderCheck, startHarness, type Harness, type HarnessLimits } from '../server';

/**
 * The harness server in front of a one-page renderer folder and one fake call (`wallet.status`),
 * checking the sender's token as the real harness does: what the server's own tests drive.
 */
export function startFakeHarness(opts: { token: string; events: EventBus; limits?: Partial<HarnessLimits> }): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'harness-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
  const router = createRouter({
    handlers: fakeHandlers({ 'wallet.status': async () => ({ state: 'none', address: null }) }),
    allowSender: harnessSenderCheck(opts.token),
    log: silentLogger,
  });
  return startHarness({
    router,
    events: opts.events,
    rendererDir: dir,
    log: silentLogger,
    token: opts.token,
    ...(opts.limits ? { limits: opts.limits } : {}),
  });
}

/**
 * Opens the harness's event stream with `token`, calls `emit` once the stream is answered, and
 * resolves with what arrived up to the first `chain.round` event. Rejects if the server closes first.
 */
export function readEventStreamUntilRound(port: number, token: string, emit: () => void): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/events', headers: { 'x-nmr-token': token }, agent: false }, (res) => {
      let buf = '';
      res.on('data', (d: Buffer) => {
        buf += d.toString();
        if (buf.includes('chain.round')) {
          req.destroy();
          resolve(buf);
        }
      });
      res.on('close', () => reject(new Error(`closed early: ${buf}`)));
      emit();
    });
    req.on('error', (e) => (String(e).includes('socket hang up') ? undefined : reject(e)));
    req.end();
  });
}
