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
