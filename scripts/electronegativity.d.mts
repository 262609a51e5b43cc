export interface ElectronegativityIssue {
  id: string;
  file: string;
  sample?: string;
  description: string;
  location: { line: number; column: number };
  severity: { name: string; value: number };
  confidence: { name: string; value: number };
  why?: string;
}
export interface ElectronegativityResult {
  version: string;
  seconds: number;
  checks: number;
  findings: ElectronegativityIssue[];
  accepted: ElectronegativityIssue[];
  broken: { file: string; message: string }[];
}
/** Scans the app's Electron code (or `input`, a folder, for tests). */
export function runElectronegativity(opts?: { input?: string }): Promise<ElectronegativityResult>;
