import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLarge, DEFAULT_LIMITS, readBody, startLoopbackServer, type ServerLimits } from '../harness/loopback-server';
import type { Logger } from '../log/logger';
import type { Confirmer, Decide, PendingRequest } from '../tx/coordinator';
import type { PhraseDisplay, ShownPhrase } from './phrase-display';
import { confirmCss, HIGH_FEE_FIELD, HIGH_FEE_LABEL, renderConfirmPage, renderPhrasePage, renderResultPage } from './render';
import { needsHighFeeTick } from '../tx/plan';

const CSP = "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

type Entry = { request: PendingRequest; csrf: string; decide: Decide };

/** A confirmation form is a few fields: a body beyond this is no confirmation. */
const CONFIRM_LIMITS: ServerLimits = { ...DEFAULT_LIMITS, maxBodyBytes: 16 * 1024, maxConnections: 64 };

/**
 * The harness's confirmation window: a page served by main on its own loopback port, so it is a
 * different origin from the app. The app's page can open it but cannot read it, and so cannot
 * learn the one-time form token a confirmation needs; the Origin check refuses forged posts.
 * The same origin shows recovery phrases (/phrase/<random id>), for the same reason: the app's
 * page only gets the URL to open, never the words.
 */
export async function startHarnessConfirmer(
  log: Logger,
  limitOverrides: Partial<ServerLimits> = {},
): Promise<Confirmer & PhraseDisplay & { url: string; close(): Promise<void> }> {
  const limits: ServerLimits = { ...CONFIRM_LIMITS, ...limitOverrides };
  const entries = new Map<string, Entry>();
  const phrases = new Map<string, ShownPhrase>();
  let port = 0;
  const origin = () => `http://127.0.0.1:${port}`;
  const hosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const send = (res: ServerResponse, status: number, body: string, type = 'text/html; charset=utf-8') => {
    res.writeHead(status, {
      'content-type': type,
      'content-security-policy': CSP,
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      // "no-referrer" would make Chromium send "Origin: null" with the form, and we check Origin.
      'referrer-policy': 'same-origin',
      'cache-control': 'no-store',
    });
    res.end(body);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hosts().has(req.headers.host ?? '')) return send(res, 421, 'wrong host', 'text/plain');
    const url = new URL(req.url ?? '/', origin());
    if (url.pathname === '/confirm.css') return send(res, 200, confirmCss, 'text/css; charset=utf-8');
    const phrasePath = /^\/phrase\/([0-9a-f]{32})$/.exec(url.pathname);
    if (phrasePath) {
      const shown = phrases.get(phrasePath[1]!);
      if (req.method !== 'GET') return send(res, 405, 'method', 'text/plain');
      if (!shown || shown.expires < Date.now()) {
        return send(
          res,
          404,
          renderResultPage('Nothing to show', 'This recovery phrase window has expired or was closed. Start again in NMR Delegate.'),
        );
      }
      return send(res, 200, renderPhrasePage(shown.words, shown.purpose));
    }
    const m = /^\/confirm\/([0-9a-f]{32})$/.exec(url.pathname);
    const entry = m ? entries.get(m[1]!) : undefined;
    if (!m || !entry || entry.request.expires < Date.now()) {
      return send(
        res,
        404,
        renderResultPage('Nothing to confirm', 'This request has expired or was already answered. Start again in NMR Delegate.'),
      );
    }
    if (req.method === 'GET')
      return send(res, 200, renderConfirmPage(entry.request.plan, url.pathname, entry.csrf, undefined, entry.request.plan.device));
    if (req.method !== 'POST') return send(res, 405, 'method', 'text/plain');
    if (req.headers.origin !== origin())
      return send(res, 403, renderResultPage('Refused', 'This confirmation did not come from its own window.'));
    let form: URLSearchParams;
    try {
      form = new URLSearchParams(await readBody(req, limits.maxBodyBytes));
    } catch (e) {
      if (!(e instanceof BodyTooLarge)) throw e;
      res.setHeader('connection', 'close');
      return send(res, 413, renderResultPage('Refused', 'This form is too large to be a confirmation.'));
    }
    const csrf = Buffer.from(form.get('csrf') ?? '');
    const expected = Buffer.from(entry.csrf);
    if (csrf.length !== expected.length || !timingSafeEqual(csrf, expected)) {
      return send(res, 403, renderResultPage('Refused', 'This confirmation form is not valid. Start again in NMR Delegate.'));
    }
    const decision = form.get('decision') === 'confirm' ? 'confirm' : 'reject';
    const highFeeAccepted = form.get(HIGH_FEE_FIELD) === 'yes';
    const { plan } = entry.request;
    if (decision === 'confirm' && needsHighFeeTick(plan) && !highFeeAccepted) {
      // The browser's `required` stops this first; a forged or script-free post lands here and changes nothing.
      return send(
        res,
        400,
        renderConfirmPage(plan, url.pathname, entry.csrf, `Tick “${HIGH_FEE_LABEL}” to confirm, or reject.`, plan.device),
      );
    }
    entries.delete(m[1]!);
    if (!entry.decide(decision, { highFeeAccepted })) {
      return send(
        res,
        404,
        renderResultPage('Nothing to confirm', 'This request has expired or was already answered. Start again in NMR Delegate.'),
      );
    }
    return send(
      res,
      200,
      decision === 'confirm'
        ? renderResultPage(
            'Confirmed',
            plan.steps.length === 0
              ? 'Your choice is saved. You can close this window; NMR Delegate shows the change.'
              : 'Your transactions are being signed and sent. You can close this window; NMR Delegate shows their progress.',
          )
        : renderResultPage('Rejected', 'Nothing was signed. You can close this window.'),
    );
  }
  const host = await startLoopbackServer(limits, handle, (e, res) => {
    log.error('confirm.request_failed', { error: e instanceof Error ? e.message : String(e) });
    if (!res.headersSent) send(res, 500, 'error', 'text/plain');
    else res.destroy();
  });
  port = host.port;

  return {
    url: origin(),
    async present(request, decide) {
      entries.set(request.id, { request, csrf: randomBytes(24).toString('base64url'), decide });
      return { confirmUrl: `${origin()}/confirm/${request.id}` };
    },
    async show(phrase) {
      const now = Date.now();
      for (const [id, p] of phrases) if (p.expires < now || p.key === phrase.key) phrases.delete(id);
      const id = randomBytes(16).toString('hex');
      phrases.set(id, { ...phrase, words: [...phrase.words] });
      return { phraseUrl: `${origin()}/phrase/${id}` };
    },
    forget(key) {
      for (const [id, p] of phrases) if (key === undefined || p.key === key) phrases.delete(id);
    },
    async close() {
      phrases.clear();
      await host.close();
    },
  };
}
