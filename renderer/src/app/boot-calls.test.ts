import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../api/client';
import { bootCall, startBootCalls } from './boot-calls';

function recordingClient() {
  const asked: string[] = [];
  const api = {
    call: (method: string) => {
      asked.push(method);
      return Promise.resolve({ answerTo: method, n: asked.length });
    },
    on: () => () => undefined,
  } as unknown as ApiClient;
  return { api, asked };
}

describe('boot calls', () => {
  it('asks for the wallet status first, then the accounts and settings', () => {
    const { api, asked } = recordingClient();
    startBootCalls(api);
    expect(asked).toEqual(['wallet.status', 'accounts.list', 'settings.get']);
  });

  it("hands the boot's answer over once; a later call asks main again", async () => {
    const { api, asked } = recordingClient();
    startBootCalls(api);
    expect(await bootCall(api, 'wallet.status')).toEqual({ answerTo: 'wallet.status', n: 1 });
    expect(asked).toHaveLength(3);
    expect(await bootCall(api, 'wallet.status')).toEqual({ answerTo: 'wallet.status', n: 4 });
    expect(asked).toEqual(['wallet.status', 'accounts.list', 'settings.get', 'wallet.status']);
  });

  it('asks main when nothing was asked for at boot', async () => {
    const { api, asked } = recordingClient();
    startBootCalls(api);
    await bootCall(api, 'settings.get');
    await bootCall(api, 'settings.get');
    expect(asked.filter((m) => m === 'settings.get')).toHaveLength(2);
  });

  it('a boot call that failed fails the screen that takes it, and no unhandled rejection is left behind', async () => {
    const api = { call: () => Promise.reject(new Error('main is down')), on: () => () => undefined } as unknown as ApiClient;
    startBootCalls(api);
    await expect(bootCall(api, 'accounts.list')).rejects.toThrow('main is down');
  });
});
