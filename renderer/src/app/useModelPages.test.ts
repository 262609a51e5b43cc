import { describe, expect, it } from 'vitest';
import type { Envelope, MethodName } from '../../../shared/api';
import { earlyCallsFor, withEarlyCalls } from '../api/early-calls';
import type { Transport } from '../api/transport';
import { DEFAULT_MODELS_VIEW, modelsListInput, modelsQuery } from './models-view';
import { MODEL_PAGE_SIZE } from './page-size';
import { parseRoute, modelsViewOf } from './routes';
import { sendBootModels } from './useModelPages';

function recordingTransport() {
  const asked: { method: MethodName; input: unknown }[] = [];
  const transport: Transport = {
    kind: 'harness',
    call(method, input) {
      asked.push({ method, input });
      return Promise.resolve({ ok: true, value: null } as Envelope<unknown>);
    },
    subscribe: () => () => undefined,
  };
  return { transport, asked };
}

/** What the list on `path` asks for first (Models.tsx: its view's query, the first page). */
const firstPageOf = (path: string, search = '') => modelsListInput(modelsQuery(modelsViewOf(parseRoute(path, search))), 0, MODEL_PAGE_SIZE);

describe("the boot's model list", () => {
  it("is sent for a list's address, and the list's own first call takes its answer", async () => {
    const { transport, asked } = recordingTransport();
    const hash = '#/models?scope=all&sort=feeBps.asc&minRounds=100';
    const t = withEarlyCalls(transport, earlyCallsFor(hash));
    sendBootModels(t, hash);
    expect(asked.map((a) => a.method)).toEqual(['wallet.status', 'accounts.list', 'settings.get', 'models.list']);
    await t.call('models.list', firstPageOf('/models', '?scope=all&sort=feeBps.asc&minRounds=100'));
    expect(asked).toHaveLength(4);
  });

  it('goes out once at a start, whose list was sent before the page was evaluated', () => {
    const { transport, asked } = recordingTransport();
    const t = withEarlyCalls(transport, earlyCallsFor('#token=abc'));
    sendBootModels(t, ''); // the token is out of the address by now
    expect(asked.filter((a) => a.method === 'models.list')).toEqual([
      { method: 'models.list', input: modelsListInput(modelsQuery(DEFAULT_MODELS_VIEW), 0, MODEL_PAGE_SIZE) },
    ]);
  });

  it('is not sent for another page', () => {
    const { transport, asked } = recordingTransport();
    const t = withEarlyCalls(transport, []);
    sendBootModels(t, '#/portfolio');
    sendBootModels(t, '#/models/alpha');
    expect(asked).toEqual([]);
  });
});
