/**
 * Resolves when `done()` holds, checked on every change under `root` (a MutationObserver): the bench
 * pages time work to the DOM change itself, not rounded up to the next animation frame.
 */
export function whenDom(root: Node, done: () => boolean): Promise<void> {
  if (done()) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const watch = new MutationObserver(() => {
      if (!done()) return;
      watch.disconnect();
      resolve();
    });
    watch.observe(root, { childList: true, subtree: true, characterData: true });
  });
}
