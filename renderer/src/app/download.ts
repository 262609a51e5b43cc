/** Starts the browser download of a file main offered (harness); Electron saves through its own dialog. */
export function startDownload(url: string | null, fileName: string): void {
  if (!url) return;
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
}
