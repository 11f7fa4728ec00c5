/**
 * A checker for the Mermaid `sequenceDiagram` text the page copies, written from Mermaid's own
 * grammar (packages/mermaid/src/diagrams/sequence/parser/sequenceDiagram.jison) and the steps
 * Mermaid takes before it (mermaidAPI's encodeEntities and the cleanups of preprocess): the
 * same lexer rules in the same order, first match wins, keywords case-insensitive. It accepts
 * the statements a copied trace uses (participants, messages, notes over lifelines) and throws
 * on anything else, and gives back each message's text as Mermaid would show it.
 */

export type Statement =
  | { readonly kind: 'participant'; readonly id: string; readonly alias: string | undefined }
  | { readonly kind: 'message'; readonly from: string; readonly to: string; readonly arrow: string; readonly text: string }
  | { readonly kind: 'note'; readonly over: readonly string[]; readonly text: string };

export class MermaidError extends Error {}

interface Token {
  readonly type: string;
  readonly text: string;
}

type State = 'INITIAL' | 'ID' | 'ALIAS' | 'LINE';

interface Rule {
  readonly states: readonly State[];
  readonly pattern: RegExp;
  /** Undefined skips the match. */
  readonly type: string | undefined;
  readonly then?: (stack: State[]) => void;
}

const push = (state: State) => (stack: State[]) => stack.push(state);
const pop = (times: number) => (stack: State[]) => stack.splice(stack.length - times, times);

function keyword(word: string, type: string, then?: (stack: State[]) => void): Rule {
  // jison-lex ends a literal that ends in a word character with \b.
  return { states: ['INITIAL'], pattern: new RegExp(`${word}\\b`, 'iy'), type, ...(then === undefined ? {} : { then }) };
}

const I: readonly State[] = ['INITIAL'];
const ACTOR_CHARS = '[^\\+\\->:\\n,;]';

const RULES: readonly Rule[] = [
  { states: I, pattern: /[\n]+/iy, type: 'NEWLINE' },
  { states: I, pattern: /\s+/iy, type: undefined },
  { states: ['ID', 'ALIAS', 'LINE'], pattern: /((?!\n)\s)+/iy, type: undefined },
  { states: ['INITIAL', 'ID', 'ALIAS', 'LINE'], pattern: /#[^\n]*/iy, type: undefined },
  { states: I, pattern: /%%(?!\{)[^\n]*/iy, type: undefined },
  { states: I, pattern: /[^}]%%[^\n]*/iy, type: undefined },
  { states: I, pattern: /[0-9]+(?=[ \n]+)/iy, type: 'NUM' },
  keyword('box', 'box', push('LINE')),
  keyword('participant', 'participant', push('ID')),
  keyword('actor', 'participant_actor', push('ID')),
  keyword('create', 'create'),
  keyword('destroy', 'destroy', push('ID')),
  { states: ['ID'], pattern: /[^\->:\n,;]+?([-]*[^\->:\n,;]+?)*?(?=((?!\n)\s)+as(?!\n)\s|[#\n;]|$)/iy, type: 'ACTOR', then: push('ALIAS') },
  { states: ['ALIAS'], pattern: /as\b/iy, type: 'AS', then: (stack) => (pop(2)(stack), stack.push('LINE')) },
  { states: ['ALIAS'], pattern: /(?:)/iy, type: 'NEWLINE', then: pop(2) },
  ...['loop', 'rect', 'opt', 'alt', 'else', 'par', 'par_over', 'and', 'critical', 'option', 'break'].map((word) => keyword(word, word, push('LINE'))),
  { states: ['LINE'], pattern: /(?:[:]?(?:no)?wrap:)?[^#\n;]*/iy, type: 'restOfLine', then: pop(1) },
  ...[
    ['end', 'end'],
    ['left of', 'left_of'],
    ['right of', 'right_of'],
    ['links', 'links'],
    ['link', 'link'],
    ['properties', 'properties'],
    ['details', 'details'],
    ['over', 'over'],
    ['note', 'note'],
  ].map(([word, type]) => keyword(word ?? '', type ?? '')),
  keyword('activate', 'activate', push('ID')),
  keyword('deactivate', 'deactivate', push('ID')),
  { states: I, pattern: /title\s[^#\n;]+/iy, type: 'title' },
  { states: I, pattern: /title:\s[^#\n;]+/iy, type: 'legacy_title' },
  { states: I, pattern: /accTitle\s*:\s*/iy, type: 'acc_title' },
  { states: I, pattern: /accDescr\s*[:{]\s*/iy, type: 'acc_descr' },
  keyword('sequenceDiagram', 'SD'),
  keyword('autonumber', 'autonumber'),
  keyword('off', 'off'),
  { states: I, pattern: /,/iy, type: ',' },
  { states: I, pattern: /;/iy, type: 'NEWLINE' },
  { states: I, pattern: new RegExp(`${ACTOR_CHARS}+((?!(-x|--x|-\\)|--\\)))[-]*${ACTOR_CHARS}+)*`, 'iy'), type: 'ACTOR' },
  { states: I, pattern: /->>/iy, type: 'ARROW' },
  { states: I, pattern: /-->>/iy, type: 'ARROW' },
  { states: I, pattern: /->/iy, type: 'ARROW' },
  { states: I, pattern: /-->/iy, type: 'ARROW' },
  { states: I, pattern: /-[x]/iy, type: 'ARROW' },
  { states: I, pattern: /--[x]/iy, type: 'ARROW' },
  { states: I, pattern: /-[)]/iy, type: 'ARROW' },
  { states: I, pattern: /--[)]/iy, type: 'ARROW' },
  { states: I, pattern: /:(?:(?:no)?wrap:)?[^#\n;]+/iy, type: 'TXT' },
  { states: I, pattern: /(?:(?:no)?wrap:)?[^#\n;]+/iy, type: 'TXT2' },
  { states: I, pattern: /\+/iy, type: '+' },
  { states: I, pattern: /-/iy, type: '-' },
  { states: I, pattern: /./iy, type: 'INVALID' },
];

function lex(source: string): Token[] {
  const tokens: Token[] = [];
  const stack: State[] = ['INITIAL'];
  let at = 0;
  while (at < source.length) {
    const state = stack.at(-1) ?? 'INITIAL';
    const rule = RULES.find((r) => r.states.includes(state) && ((r.pattern.lastIndex = at), r.pattern.test(source)));
    if (rule === undefined) throw new MermaidError(`no rule matches at ${at} in state ${state}: ${JSON.stringify(source.slice(at, at + 20))}`);
    const end = rule.pattern.lastIndex;
    const text = source.slice(at, end);
    rule.then?.(stack);
    if (rule.type !== undefined) tokens.push({ type: rule.type, text });
    if (end === at && rule.type !== 'NEWLINE') throw new MermaidError(`the lexer is stuck at ${at}`);
    at = end;
  }
  tokens.push({ type: 'NEWLINE', text: '' });
  return tokens;
}

/** What Mermaid does to the whole text before lexing it: its cleanups, then its entity encoding. */
function prepare(source: string): string {
  if (source.includes('\r')) throw new MermaidError('a carriage return would be rewritten');
  if (/%%\{/.test(source)) throw new MermaidError('"%%{" starts a directive');
  if (/<\w+[^>]*>/.test(source)) throw new MermaidError('a tag would be rewritten');
  if (/^\s*%%/m.test(source)) throw new MermaidError('a line is a comment');
  let text = source;
  text = text.replace(/style.*:\S*#.*;/g, (s) => s.slice(0, -1));
  text = text.replace(/classDef.*:\S*#.*;/g, (s) => s.slice(0, -1));
  return text.replace(/#\w+;/g, (s) => {
    const inner = s.slice(1, -1);
    return /^\+?\d+$/.test(inner) ? `\ufb02\u00b0\u00b0${inner}\u00b6\u00df` : `\ufb02\u00b0${inner}\u00b6\u00df`;
  });
}

/** Mermaid's decodeEntities, then the HTML its renderer would read: only numeric references may remain. */
function shown(text: string): string {
  const html = text.replace(/\ufb02\u00b0\u00b0/g, '&#').replace(/\ufb02\u00b0/g, '&').replace(/\u00b6\u00df/g, ';');
  if (/[<>]/.test(html)) throw new MermaidError(`a message would be read as HTML: ${JSON.stringify(html)}`);
  if (/&(?!#\d+;)/.test(html)) throw new MermaidError(`a message has an "&" that HTML would read: ${JSON.stringify(html)}`);
  return html.replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));
}

/** The statements of a `sequenceDiagram`, each message's text as the reader sees it; throws MermaidError on anything else. */
export function parseSequence(source: string): Statement[] {
  const tokens = lex(prepare(source));
  let i = 0;
  const peek = (): Token => tokens[i] ?? { type: 'EOF', text: '' };
  const take = (type: string): Token => {
    const token = peek();
    if (token.type !== type) throw new MermaidError(`expected ${type}, found ${token.type} ${JSON.stringify(token.text)}`);
    i++;
    return token;
  };
  const text = (token: Token): string => {
    const message = token.text.trim().slice(1).trim();
    if (/^:?(no)?wrap:/i.test(message)) throw new MermaidError(`a message starts with a wrap option: ${JSON.stringify(message)}`);
    return shown(message);
  };
  while (peek().type === 'NEWLINE') i++;
  take('SD');
  const statements: Statement[] = [];
  while (i < tokens.length) {
    const token = peek();
    if (token.type === 'NEWLINE') {
      i++;
      continue;
    }
    if (token.type === 'participant') {
      i++;
      const id = take('ACTOR').text.trim();
      let alias: string | undefined;
      if (peek().type === 'AS') {
        i++;
        alias = shown(take('restOfLine').text.trim());
      }
      take('NEWLINE');
      statements.push({ kind: 'participant', id, alias });
    } else if (token.type === 'note') {
      i++;
      take('over');
      const over = [take('ACTOR').text.trim()];
      if (peek().type === ',') {
        i++;
        over.push(take('ACTOR').text.trim());
      }
      statements.push({ kind: 'note', over, text: text(take('TXT')) });
      take('NEWLINE');
    } else if (token.type === 'ACTOR') {
      i++;
      const arrow = take('ARROW').text;
      if (peek().type === '+' || peek().type === '-') i++;
      const to = take('ACTOR').text.trim();
      statements.push({ kind: 'message', from: token.text.trim(), to, arrow, text: text(take('TXT')) });
      take('NEWLINE');
    } else throw new MermaidError(`unexpected ${token.type} ${JSON.stringify(token.text)}`);
  }
  return statements;
}
