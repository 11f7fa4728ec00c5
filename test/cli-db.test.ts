import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { openDatabase } from '../src/store/handles.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { SCHEMA_VERSION } from '../src/store/schema.js';
import { assertNoStackTrace } from './helpers/assertions.js';
import { fileVersion, holdExclusive, randomBytes, roomRecord, tempDir, writeBytes, writeNewerFile } from './helpers/db-files.js';
import { closedPort } from './helpers/free-port.js';
import { JsonClient } from './helpers/json-client.js';
import { ROOT } from './helpers/paths.js';
import { runGuess, type Finished } from './helpers/process.js';
import { startServer } from './helpers/server.js';

const IN_MEMORY = 'Games are kept in memory only: a restart forgets them';

/** One line on stderr that names the file, nothing on stdout about listening, exit 1. */
function assertRefused(result: Finished, path: string, says: RegExp): void {
  assert.equal(result.code, 1, result.stderr);
  assert.doesNotMatch(result.stdout, /Listening on/);
  assert.match(result.stderr, /^guess: [^\n]+\n$/);
  assert.ok(result.stderr.includes(path), result.stderr);
  assert.match(result.stderr, says);
  assertNoStackTrace(result.stderr);
}

function rooms(path: string): unknown[] {
  const db = openDatabase(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('select * from rooms order by code').all();
  } finally {
    db.close();
  }
}

describe('guess serve --db', { timeout: 60_000 }, () => {
  const dir = tempDir();
  after(() => dir.remove());

  it('keeps the games in the file named, says so before it listens, and creates the schema', async () => {
    const path = dir.file('named.db');
    const server = await startServer(['--db', path]);
    try {
      assert.match(server.output(), new RegExp(`^Games are kept in ${path.replace(/\W/g, '\\$&')}\\nListening on `, 'm'));
      assert.equal(fileVersion(path), SCHEMA_VERSION);
    } finally {
      await server.stop();
    }
  });

  it('defaults to one file per port in $XDG_DATA_HOME/guess-a-number, creating the directory', async () => {
    const xdg = dir.file('xdg');
    const port = await closedPort();
    const server = await startServer(['--port', String(port)], { env: { XDG_DATA_HOME: xdg } });
    const path = join(xdg, 'guess-a-number', `${port}.db`);
    try {
      assert.ok(server.output().includes(`Games are kept in ${path}\n`), server.output());
      assert.equal(fileVersion(path), SCHEMA_VERSION);
    } finally {
      await server.stop();
    }
  });

  it('without XDG_DATA_HOME, defaults to ~/.local/share/guess-a-number/PORT.db', async () => {
    const home = dir.file('home');
    mkdirSync(home);
    const port = await closedPort();
    const server = await startServer(['--port', String(port)], { env: { XDG_DATA_HOME: '', HOME: home } });
    const path = join(home, '.local', 'share', 'guess-a-number', `${port}.db`);
    try {
      assert.ok(server.output().includes(`Games are kept in ${path}\n`), server.output());
      assert.ok(existsSync(path));
    } finally {
      await server.stop();
    }
  });

  it('keeps nothing with --port 0 and no --db, nor with --db :memory:', async () => {
    const xdg = dir.file('xdg-nothing');
    mkdirSync(xdg);
    const port = await closedPort();
    for (const args of [[], ['--port', String(port), '--db', ':memory:']]) {
      const server = await startServer(args, { env: { XDG_DATA_HOME: xdg } });
      try {
        assert.ok(server.output().includes(`${IN_MEMORY}\n`), server.output());
      } finally {
        await server.stop();
      }
    }
    assert.deepEqual(readdirSync(xdg), []);
    assert.ok(!existsSync(join(dir.path, ':memory:')));
  });

  it('shows --db and --retry-after-ms in its help', async () => {
    const { stdout } = await runGuess(['help', 'serve']);
    assert.match(stdout, /^ {2}--db PATH +the file that keeps the games across a restart \(default: \$XDG_DATA_HOME\/guess-a-number\/PORT\.db, [^\n]*:memory: keeps nothing$/m);
    assert.match(stdout, /^ {2}--retry-after-ms MS +how long the shutdown message tells clients to wait before they come back, about a restart \(default 3000\)$/m);
  });

  it('names the file by its full path when given a relative one', async () => {
    // The server runs in the repository's root; the path given is relative to it.
    const server = await startServer(['--db', relative(ROOT, dir.file('relative.db'))]);
    try {
      assert.ok(server.output().includes(`Games are kept in ${dir.file('relative.db')}\n`), server.output());
    } finally {
      await server.stop();
    }
  });

  it('touches no file when a flag is wrong', async () => {
    const xdg = dir.file('xdg-usage');
    mkdirSync(xdg);
    const result = await runGuess(['serve', '--port', '40000', '--retry-after-ms', '0'], '', { XDG_DATA_HOME: xdg });
    assert.equal(result.code, 2);
    assert.equal(result.stderr, 'guess: --retry-after-ms must be a positive integer, got 0\n');
    assert.deepEqual(readdirSync(xdg), []);
  });

  describe('refuses a file it cannot use, in one line naming it, exit 1, leaving it byte for byte', () => {
    const cases: [string, RegExp, (path: string) => void][] = [
      ['random bytes', /is not a guess-a-number database/, (path) => writeBytes(path, randomBytes(1, 4096))],
      ['a text file', /is not a guess-a-number database/, (path) => writeBytes(path, 'my notes\n')],
      ['a newer schema', new RegExp(`was written by a newer guess-a-number \\(schema version ${SCHEMA_VERSION + 1}; this one knows up to ${SCHEMA_VERSION}\\)`), (path) => writeNewerFile(path, SCHEMA_VERSION + 1)],
      [
        'a room it cannot read back',
        /room ABCDE in .* cannot be read back/,
        (path) => {
          const store = openSqliteStore(path);
          store.begin();
          store.putRoom('ABCDE', '{"room":', 1, 0);
          store.close();
        },
      ],
    ];
    for (const [what, says, make] of cases) {
      it(what, async () => {
        const path = dir.file(`refused-${what.replace(/\W+/g, '-')}.db`);
        make(path);
        const before = readFileSync(path);
        assertRefused(await runGuess(['serve', '--port', '0', '--db', path]), path, says);
        assert.deepEqual(readFileSync(path), before);
      });
    }

    it('a path that is a directory (chmod 000 stops no read for root, so unreadable means this)', async () => {
      const path = dir.file('dir.db');
      mkdirSync(path);
      assertRefused(await runGuess(['serve', '--port', '0', '--db', path]), path, /it is a directory/);
    });

    it('a file another program holds locked', async () => {
      const path = dir.file('locked.db');
      openSqliteStore(path).close();
      const holder = await holdExclusive(path);
      try {
        const before = readFileSync(path);
        assertRefused(await runGuess(['serve', '--port', '0', '--db', path]), path, /is locked by another program/);
        assert.deepEqual(readFileSync(path), before);
      } finally {
        await holder.release();
      }
    });
  });

  it('refuses a file another running server uses, until that one is killed', async () => {
    const path = dir.file('one-server.db');
    const first = await startServer(['--db', path]);
    try {
      assertRefused(await runGuess(['serve', '--port', '0', '--db', path]), path, /is in use by another running guess server/);
    } finally {
      const closed = once(first.child, 'close');
      first.child.kill('SIGKILL');
      await closed;
    }
    const next = await startServer(['--db', path]);
    assert.ok(next.output().includes(`Games are kept in ${path}\n`));
    await next.stop();
  });
});

describe('guess db', { timeout: 60_000 }, () => {
  const dir = tempDir();
  after(() => dir.remove());

  it('info: the file, its schema version, size, rooms, players and events', async () => {
    const path = dir.file('info.db');
    const store = openSqliteStore(path);
    store.begin();
    store.putRoom('ABCD', roomRecord('ABCD', [{ name: 'ann' }, { name: 'bot', bot: true }], ['sam']), 1, 0);
    store.putRoom('EFGH', roomRecord('EFGH', [{ name: 'bo' }, { name: 'cy' }]), 2, 0);
    store.appendEvents('p1', 2, '{}\n{}');
    store.appendEvents('p2', 1, '{}');
    store.appendJournal('EFGH p3 5\nEFGH p4 6');
    store.appendJournal('EFGH p3 7');
    store.close();
    const { code, stdout } = await runGuess(['db', 'info', '--db', path]);
    assert.equal(code, 0);
    assert.equal(
      stdout,
      [
        `File:           ${path}`,
        `Schema version: ${SCHEMA_VERSION}`,
        `Size:           ${readFileSync(path).length.toLocaleString('en-US')} bytes`,
        'Rooms:          2',
        'Players:        3 seated, 1 bot, 1 watching',
        'Events kept:    3 for 2 players (replayed on resume)',
        'Journal:        3 guesses not yet in their rooms (replayed at start)',
        '',
      ].join('\n'),
    );
  });

  it('info: something sensible on an empty file, one line on a missing one', async () => {
    const path = dir.file('empty.db');
    writeBytes(path, '');
    const empty = await runGuess(['db', 'info', '--db', path]);
    assert.equal(empty.code, 0);
    assert.match(empty.stdout, /^Schema version: 0\nSize: +0 bytes\nRooms: +0\nPlayers: +0 seated, 0 bots, 0 watching\n/m);
    assert.equal(readFileSync(path).length, 0, 'info only reads');
    const missing = dir.file('missing.db');
    const result = await runGuess(['db', 'info', '--db', missing]);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, `guess: there is no database at ${missing}\n`);
    assert.ok(!existsSync(missing));
  });

  it('info --port P reads the file `guess serve --port P` uses', async () => {
    const xdg = dir.file('xdg');
    mkdirSync(join(xdg, 'guess-a-number'), { recursive: true });
    openSqliteStore(join(xdg, 'guess-a-number', '4242.db')).close();
    const { code, stdout } = await runGuess(['db', 'info', '--port', '4242'], '', { XDG_DATA_HOME: xdg });
    assert.equal(code, 0);
    assert.ok(stdout.startsWith(`File:           ${join(xdg, 'guess-a-number', '4242.db')}\n`), stdout);
  });

  it('backup and info work while a server runs on the file, and the backup holds what the file holds', async () => {
    const path = dir.file('live.db');
    const backup = dir.file('live-backup.db');
    const server = await startServer(['--db', path]);
    let live: unknown[];
    try {
      const ann = await JsonClient.hello(server.port, 'ann');
      await ann.ask({ type: 'create', mode: 'race' }, 'room');
      const saved = await runGuess(['db', 'backup', backup, '--db', path]);
      assert.equal(saved.code, 0, saved.stderr);
      assert.equal(saved.stdout, `Backed up ${path} to ${backup}\n`);
      live = rooms(path);
      assert.equal(live.length, 1, 'the room ann created is in the file: acknowledged means written');
      const info = await runGuess(['db', 'info', '--db', path]);
      assert.equal(info.code, 0, info.stderr);
      assert.match(info.stdout, new RegExp(`^Schema version: ${SCHEMA_VERSION}$`, 'm'));
      assert.match(info.stdout, new RegExp(`^Rooms: +${live.length}$`, 'm'));
      // The server goes on serving.
      const bo = await JsonClient.hello(server.port, 'bo');
      await bo.ask({ type: 'create', mode: 'solo' }, 'room');
      ann.tcp.close();
      bo.tcp.close();
    } finally {
      await server.stop();
    }
    // The schema was committed to the write-ahead log a moment ago: a copy of the bare file lacks it.
    assert.equal(fileVersion(backup), SCHEMA_VERSION);
    assert.deepEqual(rooms(backup), live);
    const reopened = openSqliteStore(backup);
    assert.equal(reopened.load().rooms.length, live.length);
    reopened.close();
  });

  it('backup never overwrites a file', async () => {
    const path = dir.file('source.db');
    openSqliteStore(path).close();
    const target = dir.file('taken.txt');
    writeBytes(target, 'precious\n');
    const result = await runGuess(['db', 'backup', target, '--db', path]);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, `guess: ${target} already exists: choose another name (a backup never overwrites a file)\n`);
    assert.equal(readFileSync(target, 'utf8'), 'precious\n');
  });
});
