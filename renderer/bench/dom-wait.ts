/**
 * Resolves when `done()` holds, checked on every change under `root` (a MutationObserver): the bench
 * pages time work to the DOM change itself, not rounded up to the next animation frame.
 */
export function whenDom(root: Node, done: () => boolean, timeoutMs = 30_000): Promise<void> {
  if (done()) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    // A change that never comes fails the bench with what the page shows, instead of hanging it.
    const timer = setTimeout(() => {
      watch.disconnect();
      reject(new Error(`bench page: no awaited change in ${timeoutMs / 1000} s; it shows: ${(root.textContent ?? '').slice(0, 300)}`));
    }, timeoutMs);
    const watch = new MutationObserver(() => {
      if (!done()) return;
      watch.disconnect();
      clearTimeout(timer);
      resolve();
    });
    watch.observe(root, { childList: true, subtree: true, characterData: true });
  });
}
