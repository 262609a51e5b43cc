export function anvilFor(platform: string, arch: string): { name: string; os: string; cpu: string; binary: string } | null;
export function missingAnvil(platform: string, arch: string, projectDir: string, exists?: (path: string) => boolean): string | null;
export default function beforePack(context: {
  electronPlatformName: string;
  arch: number;
  packager: { projectDir: string };
}): Promise<void>;
