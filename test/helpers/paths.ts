import { fileURLToPath } from 'node:url';

/** The repository root, from the compiled test file (dist/test/helpers/). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../../bin/guess.js', import.meta.url));
