/**
 * A minimal JSON-RPC client for tests and benchmarks that send thousands of transactions from anvil's
 * unlocked dev accounts. ethers' JsonRpcSigner polls for each sent transaction with 100 ms–4 s
 * back-offs; this gets the receipt in the same round trip (eth_sendTransactionSync) or waits for it
 * in a tight loop (anvil answers eth_sendTransaction before its automine has finished, so reading
 * state right after the hash returns can see the block before).
 */
import { decodeRevert } from './deploy';

export interface RpcError {
  code?: number;
  message: string;
  data?: unknown;
}

export interface Receipt {
  status: string;
  gasUsed: string;
  blockNumber: string;
  transactionHash: string;
  logs: { address: string; topics: string[]; data: string; logIndex: string; blockNumber: string }[];
}

export class Rpc {
  private id = 0;
  constructor(readonly url: string) {}

  /** One HTTP request, answers in the order of `calls`. */
  async batch(calls: [string, unknown[]][]): Promise<{ result?: unknown; error?: RpcError }[]> {
    if (calls.length === 0) return [];
    const body = calls.map(([method, params]) => ({ jsonrpc: '2.0', id: ++this.id, method, params }));
    const res = await fetch(this.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const out = (await res.json()) as { id: number; result?: unknown; error?: RpcError }[];
    const byId = new Map(out.map((o) => [o.id, o]));
    return body.map((b) => byId.get(b.id) ?? { error: { message: 'no answer' } });
  }

  async call<T>(method: string, params: unknown[] = []): Promise<T> {
    const [r] = await this.batch([[method, params]]);
    if (r!.error) throw Object.assign(new Error(`${method}: ${r!.error.message}`), { data: r!.error.data });
    return r!.result as T;
  }

  private syncSupported: boolean | undefined;

  /**
   * Sends and returns the receipt, or the custom error the call reverted with. Uses
   * eth_sendTransactionSync (EIP-7966, one round trip; anvil ≥ 1.4) where the node has it, else
   * estimate + send + wait for the receipt.
   */
  async send(tx: { from: string; to: string; data: string }): Promise<{ ok: true; receipt: Receipt } | { ok: false; error: string }> {
    if (this.syncSupported !== false) {
      const [r] = await this.batch([['eth_sendTransactionSync', [tx]]]);
      if (!r!.error) {
        this.syncSupported = true;
        const receipt = r!.result as Receipt;
        if (receipt.status === '0x1') return { ok: true, receipt };
        // Mined as failed: replay it on the state before its block to read the error.
        const before = '0x' + (BigInt(receipt.blockNumber) - 1n).toString(16);
        const [c] = await this.batch([['eth_call', [tx, before]]]);
        const dec = c!.error ? decodeRevert({ data: c!.error.data }) : undefined;
        return { ok: false, error: dec?.name ?? `reverted (${c!.error?.message.slice(0, 160) ?? 'no error on replay'})` };
      }
      if (this.syncSupported === true || !/not (found|supported|available)|unknown method|does not exist/i.test(r!.error.message)) {
        const dec = decodeRevert({ data: r!.error.data });
        return { ok: false, error: dec?.name ?? `send failed: ${r!.error.message.slice(0, 160)}` };
      }
      this.syncSupported = false;
    }
    const [est] = await this.batch([['eth_estimateGas', [tx]]]);
    if (est!.error) {
      const dec = decodeRevert({ data: est!.error.data });
      return { ok: false, error: dec?.name ?? `unknown(${est!.error.message.slice(0, 160)})` };
    }
    const gas = '0x' + ((BigInt(est!.result as string) * 13n) / 10n + 10_000n).toString(16);
    const [r] = await this.batch([['eth_sendTransaction', [{ ...tx, gas }]]]);
    if (r!.error) return { ok: false, error: `send failed: ${r!.error.message.slice(0, 160)}` };
    const receipt = await this.receipt(r!.result as string);
    return receipt.status === '0x1' ? { ok: true, receipt } : { ok: false, error: 'reverted after a passing estimate' };
  }

  /** Like send, but throws on a revert. */
  async mustSend(tx: { from: string; to: string; data: string }): Promise<Receipt> {
    const r = await this.send(tx);
    if (!r.ok) throw new Error(`transaction to ${tx.to} failed: ${r.error}`);
    return r.receipt;
  }

  async receipt(hash: string, timeoutMs = 30_000): Promise<Receipt> {
    const deadline = Date.now() + timeoutMs;
    for (let tries = 0; ; tries++) {
      const receipt = await this.call<Receipt | null>('eth_getTransactionReceipt', [hash]);
      if (receipt) return receipt;
      if (Date.now() > deadline) throw new Error(`transaction ${hash} not mined after ${timeoutMs} ms`);
      await new Promise((res) => setTimeout(res, tries < 10 ? 0 : 2));
    }
  }
}
