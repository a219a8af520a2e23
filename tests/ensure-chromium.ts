// Runs before the test suites (`npm test`): the browser tests need Debian's
// Chromium at /usr/bin/chromium and CJK fonts to render Chinese; the crash
// test builds a small power-cut library with a C compiler (gcc). As root we
// install what is missing with apt-get; otherwise we stop with the one
// command to run, since a half-run browser suite would only mislead.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const CHROMIUM = "/usr/bin/chromium";
const PACKAGES = ["chromium", "fonts-noto-cjk", "gcc", "libc6-dev"];
const INSTALL_HINT = `sudo apt-get install -y ${PACKAGES.join(" ")}`;

function hasChromium(): boolean {
  return fs.existsSync(CHROMIUM);
}

function hasCjkFonts(): boolean {
  if (fs.existsSync("/usr/share/fonts/opentype/noto")) return true;
  const list = spawnSync("fc-list", [":lang=zh"], { encoding: "utf8" });
  return list.status === 0 && list.stdout.trim().length > 0;
}

function hasCompiler(): boolean {
  return spawnSync("cc", ["--version"], { stdio: "ignore" }).status === 0;
}

function run(command: string, args: string[]): void {
  console.log(`$ ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (result.status !== 0) {
    console.error(`ensure-chromium: "${command} ${args.join(" ")}" failed (exit ${result.status ?? result.signal}).`);
    process.exit(1);
  }
}

function main(): void {
  const missing: string[] = [];
  if (!hasChromium()) missing.push("chromium");
  if (!hasCjkFonts()) missing.push("fonts-noto-cjk");
  if (!hasCompiler()) missing.push("gcc", "libc6-dev");
  if (missing.length === 0) return;

  if (process.getuid?.() !== 0) {
    if (missing.includes("gcc")) {
      console.error(`The crash test needs a C compiler (cc). Install it with:\n\n  ${INSTALL_HINT}\n`);
      process.exit(1);
    }
    if (!missing.includes("chromium")) {
      // Chromium is enough to run the tests; Chinese pages just render in a fallback font.
      console.warn(`ensure-chromium: CJK fonts are missing; Chinese text may render poorly. To add them: ${INSTALL_HINT}`);
      return;
    }
    console.error(`The browser tests need Chromium at ${CHROMIUM}. Install it with:\n\n  ${INSTALL_HINT}\n`);
    process.exit(1);
  }

  console.log(`ensure-chromium: installing ${missing.join(" ")} with apt-get`);
  run("apt-get", ["update"]);
  run("apt-get", ["install", "-y", ...missing]);
  if (!hasChromium()) {
    console.error(`ensure-chromium: apt-get finished but ${CHROMIUM} is still missing.`);
    process.exit(1);
  }
  if (!hasCjkFonts()) console.warn("ensure-chromium: fonts-noto-cjk installed but fc-list finds no Chinese font.");
  const version = spawnSync(CHROMIUM, ["--version"], { encoding: "utf8" });
  console.log(`ensure-chromium: ${version.stdout.trim() || "chromium installed"}`);
}

main();
