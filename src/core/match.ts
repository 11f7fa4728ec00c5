import type { MatchEndMessage } from './room-events.js';

/** The match's result in one line, as the terminal and the page both show it. */
export function matchLine(end: Pick<MatchEndMessage, 'rounds' | 'winner' | 'tied'>, me: string): string {
  const over = `Match over after ${end.rounds} ${end.rounds === 1 ? 'round' : 'rounds'}: `;
  if (end.winner !== null) return over + (end.winner.id === me ? 'you win the match!' : `${end.winner.name} wins the match!`);
  if (end.tied.length > 0) return `${over}a tie between ${end.tied.map((p) => (p.id === me ? 'you' : p.name)).join(' and ')}.`;
  return `${over}nobody won.`;
}
