export function installedElectronPath(): string | null;
export function electronInstallerPath(): string;
