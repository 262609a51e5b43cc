/**
 * Loaded into the app's own process by the e2e tests (`node --import`, bundled by the test) so that
 * a test can prove the app opened no socket to anything but loopback: each attempt is refused and
 * its host appended to the file named by NMR_DELEGATE_TEST_OUTSIDE_LOG.
 */
import { appendFileSync } from 'node:fs';
import { refuseNonLoopbackSockets } from './loopback-sockets';

const log = process.env.NMR_DELEGATE_TEST_OUTSIDE_LOG;
refuseNonLoopbackSockets((host) => {
  if (log) appendFileSync(log, `${host}\n`);
  return new Error(`offline test: a socket to ${host} was refused`);
});
