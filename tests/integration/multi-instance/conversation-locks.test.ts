// One turn at a time per conversation (bot/turn-lock.ts). In one process the
// turns queue; on PostgreSQL two instances also exclude each other through
// advisory locks, stood for here by two lockers with pools of their own (two
// instances are two processes with a pool each). Runs on PostgreSQL when the
// suite does (LIFELINE_TEST_POSTGRES_URL); the process queue on either.
import { dialect } from "~/services/db.server";
import { postgresConversationLocker, withTurnLock, withTurnLocks, type ConversationLocker } from "../../../bot/turn-lock";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Work that notes how many holders of a key are inside at once. */
function meter() {
  let inside = 0;
  let most = 0;
  return {
    async work() {
      inside += 1;
      most = Math.max(most, inside);
      await pause(5);
      inside -= 1;
    },
    get most() {
      return most;
    },
  };
}

describe("in one process", () => {
  it("runs the turns of one conversation one at a time, and other conversations beside them", async () => {
    const same = meter();
    await Promise.all(Array.from({ length: 12 }, () => withTurnLock("chat:one", () => same.work())));
    expect(same.most).toBe(1);

    let release!: () => void;
    const held = withTurnLock("chat:slow", () => new Promise<void>((resolve) => (release = resolve)));
    // Another conversation is not kept waiting by the slow one.
    await withTurnLock("chat:other", async () => undefined);
    release();
    await held;
  });

  it("holds several conversations at once without two holders waiting on each other", async () => {
    const shared = meter();
    await Promise.all([
      withTurnLocks(["sms:a", "sms:b"], () => shared.work()),
      withTurnLocks(["sms:b", "sms:a"], () => shared.work()),
      withTurnLocks(["sms:b", "sms:c"], () => shared.work()),
    ]);
    expect(shared.most).toBe(1);
  });
});

// Defined only on PostgreSQL (on SQLite there is one instance and no such lock).
if (dialect === "postgresql") describe("across instances on PostgreSQL", () => {
  let first: ConversationLocker;
  let second: ConversationLocker;
  beforeAll(async () => {
    first = await postgresConversationLocker(process.env.DATABASE_URL!, 4);
    second = await postgresConversationLocker(process.env.DATABASE_URL!, 4);
  });
  afterAll(async () => {
    await first.end();
    await second.end();
  });

  it("never lets two instances into one conversation at once", async () => {
    const same = meter();
    await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 ? first : second).hold(["chat:visitor"], () => same.work())));
    expect(same.most).toBe(1);
  });

  it("lets two instances work on different conversations at the same time", async () => {
    let release!: () => void;
    const held = first.hold(["chat:a"], () => new Promise<void>((resolve) => (release = resolve)));
    await pause(50);
    await second.hold(["chat:b"], async () => undefined);
    release();
    await held;
  });

  it("takes several conversations in one order, so crossing holders finish (no deadlock)", async () => {
    const shared = meter();
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? first : second).hold(i % 2 ? ["sms:x", "sms:y"] : ["sms:y", "sms:x"], () => shared.work())),
    );
    expect(shared.most).toBe(1);
  });

  it("lets the locks go when the work fails", async () => {
    await expect(first.hold(["chat:fails"], async () => Promise.reject(new Error("turn failed")))).rejects.toThrow("turn failed");
    await second.hold(["chat:fails"], async () => undefined);
  });
});
