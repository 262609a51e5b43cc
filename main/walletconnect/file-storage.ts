import { existsSync, readFileSync, renameSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from '../store/atomic-file';
import type { Logger } from '../log/logger';

const StorageFile = z.strictObject({ version: z.literal(1), entries: z.record(z.string().max(500), z.unknown()) });

/**
 * The WalletConnect SDK's key-value storage (sessions, pairings, their keys, message history) as one
 * file in the user-data folder, written atomically with mode 0600 on every change: a session
 * survives a restart or a crash mid-write. A damaged file is set aside (the wallet is then simply
 * connected again) rather than stopping the app.
 */
export class FileKeyValueStorage {
  private readonly entries = new Map<string, unknown>();

  constructor(
    private readonly file: string,
    log: Pick<Logger, 'warn'>,
  ) {
    if (!existsSync(file)) return;
    try {
      const parsed = StorageFile.parse(JSON.parse(readFileSync(file, 'utf8')));
      for (const [k, v] of Object.entries(parsed.entries)) this.entries.set(k, v);
    } catch (e) {
      renameSync(file, `${file}.damaged-${Date.now()}`);
      log.warn('walletconnect.storage_damaged', { error: e instanceof Error ? e.message.slice(0, 200) : 'unreadable' });
    }
  }

  async getKeys(): Promise<string[]> {
    return [...this.entries.keys()];
  }

  async getEntries<T>(): Promise<[string, T][]> {
    return [...this.entries.entries()] as [string, T][];
  }

  async getItem<T>(key: string): Promise<T | undefined> {
    return this.entries.get(key) as T | undefined;
  }

  async setItem<T>(key: string, value: T): Promise<void> {
    this.entries.set(key, value);
    this.save();
  }

  async removeItem(key: string): Promise<void> {
    if (this.entries.delete(key)) this.save();
  }

  private save(): void {
    writeFileAtomic(this.file, JSON.stringify({ version: 1, entries: Object.fromEntries(this.entries) }));
  }
}
