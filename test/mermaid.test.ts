import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { mermaidSequence, mermaidText } from '../src/protocol/mermaid.js';
import { WireLog, type WireEntry, type WireKind } from '../src/protocol/wire-log.js';
import { MermaidError, parseSequence } from './helpers/mermaid-grammar.js';

/** Characters Mermaid reads as something else, mixed with the letters of the words it treats specially. */
const TRICKY = fc.string({
  unit: fc.constantFrom('#', ';', '%', '{', '}', '&', '<', '>', '\n', '\r', '\t', ' ', '\u00a0', ':', '"', '\\', 's', 't', 'y', 'l', 'e', 'c', 'a', 'D', 'f', 'w', 'r', 'p', 'n', 'o', '1', '\ufb02', '\u00b0', '\u00b6', '\u00df', '\u2028', '\u0000', '\u007f'),
  maxLength: 40,
});
/** Whole words and sequences Mermaid gives a meaning to, in any order. */
const WORDS = fc.array(fc.constantFrom('style', 'classDef', ':', '#', ';', '#59;', 'wrap:', 'nowrap:', '%%', '%%{init: {}}%%', '<br>', '&amp;', ' ', 'x', '"', '\n'), { maxLength: 10 }).map((parts) => parts.join(''));
const TEXT = fc.oneof(TRICKY, WORDS, fc.string({ unit: 'binary', maxLength: 40 }), fc.json());

function entries(list: ReadonlyArray<readonly [WireKind, string | undefined]>): WireEntry[] {
  const log = new WireLog(() => 0);
  for (const [kind, text] of list) log.record(kind, text);
  return log.entries();
}

describe('the messages as Mermaid text', () => {
  it('writes a sequence diagram PROTOCOL.md could hold', () => {
    const text = mermaidSequence(entries([
      ['opened', undefined],
      ['sent', '{"type":"hello","v":1}'],
      ['received', '{"type":"welcome","player":"p1","name":"Ada; #1 <b>"}'],
      ['closed', undefined],
    ]));
    assert.equal(
      text,
      [
        'sequenceDiagram',
        '    participant B as Browser (this page)',
        '    participant S as Server',
        '    Note over B,S: connection opened',
        '    B->>S: {"type":"hello","v":1}',
        '    S->>B: {"type":"welcome","player":"p1","name":"Ada#59; #35;1 #60;b#62;"}',
        '    Note over B,S: connection closed',
        '',
      ].join('\n'),
    );
  });

  it('says how many earlier messages the page no longer keeps', () => {
    const statements = parseSequence(mermaidSequence([], 3));
    assert.deepEqual(statements.at(-1), { kind: 'note', over: ['B', 'S'], text: '3 earlier messages not kept' });
  });

  it('parses, and every arrow shows its frame exactly, whatever the frames hold', () => {
    const kinds = fc.constantFrom<WireKind>('sent', 'received', 'opened', 'closed');
    fc.assert(
      fc.property(fc.array(fc.tuple(kinds, fc.option(TEXT, { nil: undefined })), { maxLength: 8 }), (list) => {
        const kept = entries(list);
        const statements = parseSequence(mermaidSequence(kept));
        assert.deepEqual(statements.slice(0, 2), [
          { kind: 'participant', id: 'B', alias: 'Browser (this page)' },
          { kind: 'participant', id: 'S', alias: 'Server' },
        ]);
        const drawn = statements.slice(2);
        assert.equal(drawn.length, kept.length);
        kept.forEach((entry, i) => {
          const statement = drawn[i];
          if (entry.kind === 'sent' || entry.kind === 'received') {
            const [from, to] = entry.kind === 'sent' ? ['B', 'S'] : ['S', 'B'];
            assert.deepEqual(statement, { kind: 'message', from, to, arrow: '->>', text: entry.text ?? '(a binary frame)' });
          } else assert.deepEqual(statement, { kind: 'note', over: ['B', 'S'], text: `connection ${entry.kind}` });
        });
      }),
      { seed: 16, numRuns: 500 },
    );
  });

  it('escapes nothing a message does not need', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9{}":,[\]._ -]*$/), (text) => {
        fc.pre(text.trim() === text && !/style|classDef|^(no)?wrap:/i.test(text));
        assert.equal(mermaidText(text), text);
      }),
      { seed: 16 },
    );
  });

  it('has a checker that refuses what Mermaid would misread', () => {
    const line = (text: string): string => `sequenceDiagram\n    B->>S: ${text}\n`;
    assert.deepEqual(parseSequence(line('{"a":1}')).at(-1), { kind: 'message', from: 'B', to: 'S', arrow: '->>', text: '{"a":1}' });
    // A semicolon ends the statement, a hash starts a comment: the text is cut short.
    assert.equal((parseSequence(line('{"a":"x#y"}')).at(-1) as { text: string }).text, '{"a":"x');
    assert.throws(() => parseSequence(line('{"a":"x;y"}')), MermaidError);
    assert.throws(() => parseSequence(line('%%{init: {"theme":"dark"}}%%')), MermaidError);
    assert.throws(() => parseSequence(line('<br>')), MermaidError);
    assert.throws(() => parseSequence(line('a &amp; b')), MermaidError);
    assert.throws(() => parseSequence(line('wrap:{"a":1}')), MermaidError);
    assert.throws(() => parseSequence('sequenceDiagram\n    B->>S\n'), MermaidError);
    assert.throws(() => parseSequence('graph TD\n'), MermaidError);
    // Mermaid's rule for style lines eats the last ";" of a line that says "style", a ":" and a "#".
    assert.notEqual((parseSequence(line('{"name":"style","x":"#35;"}')).at(-1) as { text: string }).text, '{"name":"style","x":"#35;"}');
  });
});

describe('the wire log', () => {
  it('keeps the last entries in order, up to its capacity, and counts the ones it let go', () => {
    let now = 0;
    const log = new WireLog(() => ++now, 3);
    const heard: string[] = [];
    log.listen((entry) => heard.push(entry.text ?? entry.kind));
    for (const text of ['a', 'b', 'c', 'd', 'e']) log.record('sent', text);
    assert.deepEqual(log.entries().map((e) => [e.n, e.text, e.at]), [[2, 'c', 3], [3, 'd', 4], [4, 'e', 5]]);
    assert.equal(log.dropped, 2);
    assert.deepEqual(heard, ['a', 'b', 'c', 'd', 'e']);
    log.listen(undefined);
    log.record('closed');
    assert.deepEqual(heard, ['a', 'b', 'c', 'd', 'e'], 'a listener removed is not called');
    assert.deepEqual(log.entries().map((e) => e.kind), ['sent', 'sent', 'closed']);
  });

  it('keeps the last 500 by default', () => {
    const log = new WireLog(() => 0);
    for (let i = 0; i <= 500; i++) log.record('received', String(i));
    assert.equal(log.entries().length, 500);
    assert.equal(log.entries()[0]?.text, '1');
  });

  it('never holds more than its capacity', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 100 }), (capacity, n) => {
        const log = new WireLog(() => 0, capacity);
        for (let i = 0; i < n; i++) log.record('received', String(i));
        const kept = log.entries();
        assert.equal(kept.length, Math.min(n, capacity));
        assert.deepEqual(kept.map((e) => e.text), Array.from({ length: kept.length }, (_, i) => String(n - kept.length + i)));
        assert.equal(log.dropped, n - kept.length);
      }),
      { seed: 16 },
    );
  });
});
