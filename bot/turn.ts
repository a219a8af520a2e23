// converse() for the /chat page: a turn on the shared bot.
import type { ConverseInput, ConverseResult } from "./index";
import { getBot } from "./controller";

export async function runTurn(input: ConverseInput): Promise<ConverseResult> {
  return getBot().turn(input);
}
