import { GOODBYE } from '../client/terminal-game.js';

/** Ctrl-C at a prompt: the goodbye of Ctrl-D on a fresh line, with the shell's conventional status for SIGINT. */
export function exitOnInterrupt(): void {
  process.stdout.write(`\n${GOODBYE}\n`);
  process.exit(130);
}
