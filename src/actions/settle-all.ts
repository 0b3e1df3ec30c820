// Work over many items with a bound on how many run at once (apply's objects, a bundle's logs).

/** Runs `work` over `items` with at most `limit` in flight; settles every item. */
export async function settleAll<T, R>(items: readonly T[], limit: number,
  work: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]>
{
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = {status: 'fulfilled', value: await work(items[index]!)};
      } catch (reason) {
        results[index] = {status: 'rejected', reason};
      }
    }
  };
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
  return results;
}
