/**
 * The seed of a test run: the secrets of every server a test starts without a `--seed` of its own
 * (see server.ts), and the inputs of every property without a `seed` of its own (see
 * seed-properties.ts). Fixed, so that a run that fails fails again; `GUESS_TEST_SEED=N npm test`
 * plays other numbers and tries other inputs.
 */
export const TEST_SEED = seedFrom(process.env.GUESS_TEST_SEED);

function seedFrom(text: string | undefined): number {
  if (text === undefined || text === '') return 1;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) throw new Error(`GUESS_TEST_SEED must be an integer, not ${JSON.stringify(text)}`);
  return seed;
}
