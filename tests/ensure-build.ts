// `npm test`, before Vitest: build the app once (only when the sources are
// newer than the last build), so that every suite that starts the real server
// (e2e, and the integration tests that kill or read the logs of a server of
// their own) finds a current build and none of them rebuilds under another.
import { buildApp } from "./support/app-server";

buildApp();
