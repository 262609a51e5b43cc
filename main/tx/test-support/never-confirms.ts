import type { Confirmer } from '../coordinator';

/** A confirmation that is never given: a plan that reached it is counted, never signed. */
export function neverConfirms(): Confirmer & { readonly presented: number } {
  let presented = 0;
  return {
    get presented() {
      return presented;
    },
    present: async () => {
      presented++;
      return { confirmUrl: null };
    },
  };
}
