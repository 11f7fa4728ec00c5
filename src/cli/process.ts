/** Ctrl-C at a prompt: leave on a fresh line, with the shell's conventional status for SIGINT. */
export function exitOnInterrupt(): void {
  process.stdout.write('\nBye!\n');
  process.exit(130);
}
