import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { closedPort } from './helpers/free-port.js';
import { finished } from './helpers/process.js';
import { BIN, ROOT } from './helpers/paths.js';
import { PYTHON3 } from './helpers/pty.js';
import { OutputWatcher } from './helpers/watch.js';

const DOC = join(ROOT, 'docs', 'FROM-THE-CHAPTER.md');
/** The chapter's port, which the document uses; the test runs everything on a free one instead. */
const CHAPTER_PORT = '65432';

interface Block {
  readonly info: string;
  readonly body: string;
}

function blocks(markdown: string): Block[] {
  return [...markdown.matchAll(/^```([^\n]*)\n([\s\S]*?)^```$/gm)].map((m) => ({ info: (m[1] ?? '').trim(), body: m[2] ?? '' }));
}

/** A `text` block's lines as patterns that must each match a whole line of the output; `…` is anything. */
function expectations(block: Block): RegExp[] {
  return block.body.split('\n').filter((line) => line.trim() !== '').map((line) => new RegExp(`^${line.split('\u2026').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'm'));
}

/** Ctrl-C, as the document says. */
async function stop(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const closed = once(child, 'close');
  child.kill('SIGINT');
  await closed;
}

describe('docs/FROM-THE-CHAPTER.md', { timeout: 60_000, skip: PYTHON3 ? false : 'python3 is missing' }, () => {
  it('runs every command it quotes, and each prints what the document shows', async () => {
    const all = blocks(readFileSync(DOC, 'utf8'));
    const port = String(await closedPort());
    const home = mkdtempSync(join(tmpdir(), 'guess-chapter-'));
    // `npx guess` is this project's bin (npm-setup.test.ts checks what npx adds); a `guess` on PATH runs it without npx's start-up.
    symlinkSync(BIN, join(home, 'guess'));
    const env = { ...process.env, PATH: `${home}:${process.env.PATH ?? ''}`, XDG_DATA_HOME: home, PYTHONDONTWRITEBYTECODE: '1' };
    const local = (text: string): string => text.replaceAll(`127.0.0.1:${CHAPTER_PORT}`, `127.0.0.1:${port}`).replaceAll(`, ${CHAPTER_PORT})`, `, ${port})`).replaceAll(`--port ${CHAPTER_PORT}`, `--port ${port}`);
    let server: { child: ChildProcessWithoutNullStreams; output: OutputWatcher } | undefined;
    const ran: string[] = [];
    /** Checked once the server has stopped, when all it printed has been read. */
    const serverPrints: RegExp[] = [];
    try {
      for (const [i, block] of all.entries()) {
        if (block.info !== 'sh') continue;
        const printed: string[] = [];
        for (const line of block.body.split('\n')) {
          const command = line.replace(/\s+# exits with status \d+$/, '').trim();
          if (command === '') continue;
          const status = Number(/# exits with status (\d+)$/.exec(line)?.[1] ?? '0');
          const shell = local(command).replace(/\bnpx guess\b/g, 'guess');
          assert.ok(!shell.includes(CHAPTER_PORT), `every use of the port is moved to the test's: ${command}`);
          ran.push(command);
          const serve = command.startsWith('npx guess serve');
          // exec: the server is the shell's process, so that Ctrl-C (SIGINT) reaches it.
          const child = spawn('sh', ['-c', serve ? `exec ${shell}` : shell], { cwd: ROOT, env });
          if (serve) {
            // The server runs in "a terminal of its own" until the end of the document.
            assert.equal(server, undefined, 'one server');
            server = { child, output: new OutputWatcher(child, [child.stdout, child.stderr]) };
            await server.output.waitFor(/^Listening on /m);
            printed.push(server.output.text());
            continue;
          }
          child.stdin.end();
          const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
          const done = await finished(child);
          clearTimeout(timer);
          assert.equal(done.code, status, `${command} exits with status ${status}: ${done.stderr}`);
          printed.push(done.stdout + done.stderr);
        }
        for (const next of all.slice(i + 1)) {
          if (next.info === 'text') {
            for (const pattern of expectations({ ...next, body: local(next.body) })) assert.match(printed.join('\n'), pattern, `what ${block.body.trim()} prints`);
          } else if (next.info === 'text server') serverPrints.push(...expectations(next));
          else break;
        }
      }
      assert.ok(ran.length >= 9, `the document quotes its commands: ${ran.join(' | ')}`);
      assert.ok(server !== undefined, 'the document starts a server');
      await stop(server.child);
      for (const pattern of serverPrints) assert.match(server.output.text(), pattern, 'what the server prints');
    } finally {
      if (server !== undefined) await stop(server.child);
      rmSync(home, { recursive: true, force: true });
    }
  });
});
