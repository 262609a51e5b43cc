import { earlyCallsFor, withEarlyCalls, type EarlyTransport } from './early-calls';
import { detectTransport } from './transport';

/**
 * The page's way to main, found as soon as the page's code runs, with the app's first calls
 * already sent (early-calls.ts). main.tsx imports this module first, so that it runs before the
 * rest of the page's code is evaluated. Null when the page was not opened from the app's link.
 */
const hash = window.location.hash; // before the harness's token is taken out of it
const found = detectTransport();
export const pageTransport: EarlyTransport | null = found && withEarlyCalls(found, earlyCallsFor(hash));
