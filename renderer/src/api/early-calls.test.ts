import { describe, expect, it } from 'vitest';
import type { Envelope, MethodName } from '../../../shared/api';
import { DEFAULT_MODELS_VIEW, modelsListInput, modelsQuery } from '../app/models-view';
import { MODEL_PAGE_SIZE } from '../app/page-size';
import { earlyCallsFor, withEarlyCalls } from './early-calls';
import type { Transport } from './transport';

function recordingTransport(fail = false) {
  const asked: { method: MethodName; input: unknown }[] = [];
  const transport: Transport = {
    kind: 'harness',
    call(method, input) {
      asked.push({ method, input });
      return fail
        ? Promise.reject(new Error('main is down'))
        : Promise.resolve({ ok: true, value: { answer: asked.length } } as Envelope<unknown>);
    },
    subscribe: () => () => undefined,
  };
  return { transport, asked };
}

/** What the model list asks for when it shows the start's view (useModelPages.ts). */
const startList = modelsListInput(modelsQuery(DEFAULT_MODELS_VIEW), 0, MODEL_PAGE_SIZE);

describe('the early calls', () => {
  it("at a start: the wallet's status first, the accounts and settings, then the start's list", () => {
    for (const hash of ['', '#/', '#token=abc_-9']) {
      expect(earlyCallsFor(hash).map(([m]) => m)).toEqual(['wallet.status', 'accounts.list', 'settings.get', 'models.list']);
      expect(earlyCallsFor(hash)[3]![1]).toEqual(startList);
    }
  });

  it('on any other address, no list: its query needs the app to parse the route', () => {
    for (const hash of ['#/models?scope=all', '#/portfolio', '#/models/alpha']) {
      expect(earlyCallsFor(hash).map(([m]) => m)).toEqual(['wallet.status', 'accounts.list', 'settings.get']);
    }
  });

  it('are sent at once; the first call with the same input takes the answer, later ones ask again', async () => {
    const { transport, asked } = recordingTransport();
    const t = withEarlyCalls(transport, earlyCallsFor(''));
    expect(asked.map((a) => a.method)).toEqual(['wallet.status', 'accounts.list', 'settings.get', 'models.list']);
    // The list asks with the input it builds itself: an equal object, made anew.
    expect(await t.call('models.list', modelsListInput(modelsQuery({ ...DEFAULT_MODELS_VIEW }), 0, MODEL_PAGE_SIZE))).toEqual({
      ok: true,
      value: { answer: 4 },
    });
    expect(asked).toHaveLength(4);
    expect(await t.call('wallet.status', {})).toEqual({ ok: true, value: { answer: 1 } });
    expect(await t.call('wallet.status', {})).toEqual({ ok: true, value: { answer: 5 } });
    // Another page of the list is not the early one.
    await t.call('models.list', modelsListInput(modelsQuery(DEFAULT_MODELS_VIEW), MODEL_PAGE_SIZE, MODEL_PAGE_SIZE));
    expect(asked).toHaveLength(6);
  });

  it('a call sent early again with the same input goes out once; the first call takes it, the next asks main', async () => {
    const { transport, asked } = recordingTransport();
    const t = withEarlyCalls(transport, earlyCallsFor(''));
    t.sendEarly('models.list', startList);
    t.sendEarly('models.detail', { name: 'alpha', maxPoints: 250 });
    expect(asked.map((a) => a.method)).toEqual(['wallet.status', 'accounts.list', 'settings.get', 'models.list', 'models.detail']);
    expect(await t.call('models.detail', { name: 'alpha', maxPoints: 250 })).toEqual({ ok: true, value: { answer: 5 } });
    expect(await t.call('models.detail', { name: 'alpha', maxPoints: 250 })).toEqual({ ok: true, value: { answer: 6 } });
  });

  it('a failed early call fails the call that takes it, and leaves no unhandled rejection behind', async () => {
    const { transport } = recordingTransport(true);
    const t = withEarlyCalls(transport, earlyCallsFor(''));
    await expect(t.call('accounts.list', {})).rejects.toThrow('main is down');
  });
});
