/**
 * The browser harness's call socket, as both ends speak it (main/harness/call-socket.ts answers,
 * renderer/src/api/call-socket.ts calls): the page's API calls over one WebSocket, each message
 * one call or one answer, matched by id.
 */
export const CALL_PATH = '/api/calls';
/** The one subprotocol the host speaks (and the only one it answers with). */
export const CALL_PROTOCOL = 'nmr-delegate.calls.v1';
/** The run's token rides as a second offered subprotocol: a browser's WebSocket cannot set headers. */
export const TOKEN_PROTOCOL_PREFIX = 'nmr-delegate.token.';

/** One call as the page sends it. */
export interface CallMessage {
  id: number;
  method: string;
  input: unknown;
}

/** Its answer: the router's envelope, as a POST's body would be. */
export interface CallAnswer {
  id: number;
  envelope: unknown;
}
