import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

/**
 * A package script of this project as a command to spawn: its program (node is this
 * process's own) and arguments, so a test runs what `npm run <name>` runs, flags included,
 * without npm's start-up. Scripts are plain `node …` commands (no shell syntax).
 */
export function packageScript(name: string): { readonly command: string; readonly args: readonly string[] } {
  const script = (JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts[name];
  if (script === undefined || /[|&;<>$`"'\\]|^\w+=/.test(script)) throw new Error(`package script "${name}" is not a plain command: ${script}`);
  const [program, ...args] = script.split(/\s+/);
  return { command: program === 'node' ? process.execPath : program, args };
}
