// The archive writer of the resident export (app/services/tar-writer.server.ts):
// what it writes, the system's tar reads back exactly (long names through the
// ustar prefix, empty files, streamed bodies); names that could escape the
// folder and bodies that do not match their size are refused.
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import {
  tarHeader,
  tarStream,
  type TarEntry,
} from "~/services/tar-writer.server";

const run = promisify(execFile);

async function collect(entries: TarEntry[]): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of tarStream(entries)) parts.push(chunk);
  return Buffer.concat(parts);
}

async function* chunks(
  bytes: Buffer,
  size: number
): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size)
    yield bytes.subarray(i, i + size);
}

describe("tarStream", () => {
  it("writes an archive tar unpacks byte for byte", async () => {
    const big = crypto.randomBytes(70_001);
    const longName = `${"d".repeat(60)}/${"e".repeat(60)}/${"f".repeat(
      90
    )}.bin`;
    const archive = await collect([
      {
        name: "resident.json",
        size: 2,
        mtime: new Date("2026-11-29T00:00:00Z"),
        body: Buffer.from("{}"),
      },
      {
        name: "files/empty.pdf",
        size: 0,
        mtime: new Date(),
        body: new Uint8Array(0),
      },
      {
        name: "files/big.jpg",
        size: big.length,
        mtime: new Date(),
        body: chunks(big, 4096),
      },
      { name: longName, size: 3, mtime: new Date(), body: Buffer.from("abc") },
    ]);
    expect(archive.length % 512).toBe(0);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lifeline-tar-"));
    try {
      fs.writeFileSync(path.join(dir, "a.tar"), archive);
      const { stdout } = await run("tar", ["-tvf", path.join(dir, "a.tar")]);
      expect(stdout.split("\n").filter(Boolean)).toHaveLength(4);
      await run("tar", ["-xf", path.join(dir, "a.tar"), "-C", dir]);
      expect(fs.readFileSync(path.join(dir, "resident.json"), "utf8")).toBe(
        "{}"
      );
      expect(fs.readFileSync(path.join(dir, "files/empty.pdf")).length).toBe(0);
      expect(fs.readFileSync(path.join(dir, "files/big.jpg")).equals(big)).toBe(
        true
      );
      expect(fs.readFileSync(path.join(dir, longName), "utf8")).toBe("abc");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses names that could leave the folder or are not plain ASCII", () => {
    for (const name of [
      "../etc/passwd",
      "/abs",
      "a/../b",
      "files/名字.jpg",
      "a b",
      "",
      "a//b",
      "x".repeat(101),
    ]) {
      expect(
        () => tarHeader({ name, size: 1, mtime: new Date() }),
        name
      ).toThrow();
    }
  });

  it("refuses a body longer or shorter than its size", async () => {
    await expect(
      collect([
        {
          name: "a",
          size: 5,
          mtime: new Date(),
          body: chunks(Buffer.from("abcdef"), 2),
        },
      ])
    ).rejects.toThrow(/longer/);
    await expect(
      collect([
        {
          name: "a",
          size: 5,
          mtime: new Date(),
          body: chunks(Buffer.from("abc"), 2),
        },
      ])
    ).rejects.toThrow(/shorter/);
    await expect(
      collect([
        { name: "a", size: 5, mtime: new Date(), body: Buffer.from("abc") },
      ])
    ).rejects.toThrow(/size/);
  });
});
