// One turn at a time per conversation in this process: two messages from one
// person (a double tap, two texts in a row) must not read and write the
// dialog state over each other. Different conversations run in parallel.
const tails = new Map<string, Promise<unknown>>();

export function withTurnLock<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.then(work, work);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  tails.set(key, tail);
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key);
  });
  return run;
}

/** Holds the locks of several conversations (each once, in one order, so two holders never wait on each other). */
export function withTurnLocks<T>(keys: string[], work: () => Promise<T>): Promise<T> {
  const sorted = [...new Set(keys)].sort();
  const hold = (i: number): Promise<T> => (i === sorted.length ? work() : withTurnLock(sorted[i], () => hold(i + 1)));
  return hold(0);
}
