/**
 * The renderer's Content Security Policy, sent as a header by both transports: the harness host
 * (HTTP) and Electron's app:// protocol. renderer/index.html carries the same policy in a meta tag
 * (without frame-ancestors, which a meta tag cannot set); a test keeps the two in step.
 *
 * Nothing but the app's own bundled files may run or load: no inline script, no eval, no remote
 * origin, no plugins, no <base>, no form posts, no framing.
 */
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // recharts positions its tooltips with inline styles.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Parses a policy into directive → sorted source list, for comparing two policies. */
export function parseCsp(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (!name) continue;
    out.set(name.toLowerCase(), sources.sort());
  }
  return out;
}
