import assert from 'node:assert/strict';

/** Users see one line, never a stack trace: fails on any of the forms Node prints one in. */
export function assertNoStackTrace(text: string): void {
  assert.doesNotMatch(text, /^\s+at .+:\d+:\d+\)?$/m);
  assert.doesNotMatch(text, /node:internal|Error \[ERR_|Uncaught/);
}
