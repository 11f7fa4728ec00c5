/** A source that hands out the given numbers in order, then throws: scenario tests pin every draw. */
export function replay(...values: number[]): () => number {
  return () => {
    const value = values.shift();
    if (value === undefined) throw new Error('replay ran out of values');
    return value;
  };
}
