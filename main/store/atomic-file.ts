import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Writes a file so that after a crash at any instant the path holds either the old content or the
 * new one, never a mix: write a temp file beside it, fsync it, rename over, fsync the folder.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): void {
  writeAndRename(path, data, mode, true);
}

/**
 * Replaces a file so that a reader sees the old content or the new one, never a mix, without
 * waiting for the disk: for a file whose content means nothing once this process is gone (a lock's
 * URL), where writeFileAtomic's two fsyncs held the harness's first steps up for ~65 ms on a slow disk.
 */
export function replaceFile(path: string, data: string | Uint8Array, mode = 0o600): void {
  writeAndRename(path, data, mode, false);
}

function writeAndRename(path: string, data: string | Uint8Array, mode: number, durable: boolean): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    if (durable) fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
  // The rename itself must reach the disk before we report success.
  if (durable && process.platform !== 'win32') {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  }
}
