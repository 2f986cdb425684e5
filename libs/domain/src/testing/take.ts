/**
 * Takes `count` items from an async iterable (a feed subscription, a
 * graphql-ws operation), then ends it. Past `timeoutMs` the iteration is
 * ended and the call fails, naming how many items arrived; an iterable that
 * ends early gives what it had.
 */
export async function take<T>(
  source: AsyncIterable<T>,
  count: number,
  timeoutMs = 15_000,
): Promise<T[]> {
  const out: T[] = [];
  const iterator = source[Symbol.asyncIterator]();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void iterator.return?.();
  }, timeoutMs);
  try {
    for await (const item of { [Symbol.asyncIterator]: () => iterator }) {
      out.push(item);
      if (out.length === count) break;
    }
  } finally {
    clearTimeout(timer);
  }
  if (timedOut && out.length < count)
    throw new Error(`got ${out.length} of ${count} items in ${timeoutMs} ms`);
  return out;
}
