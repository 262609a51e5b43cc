/** `make()`'s answer, made on the first call and kept: for work a start may never need. */
export function lazy<T>(make: () => T): () => T {
  let made: { value: T } | null = null;
  return () => (made ??= { value: make() }).value;
}
