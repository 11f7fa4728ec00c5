import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMANDS, type Command } from '../src/cli/commands.js';
import { runGuess } from './helpers/process.js';

const commands = Object.entries(COMMANDS) as Array<[string, Command]>;

describe('help', { timeout: 30_000 }, () => {
  it('`guess help` names every command and every flag', async () => {
    const { code, stdout } = await runGuess(['help']);
    assert.equal(code, 0);
    for (const [name, command] of commands) {
      assert.match(stdout, new RegExp(`^  ${name} `, 'm'), `command ${name}`);
      for (const flag of Object.keys(command.flags)) assert.ok(stdout.includes(`--${flag}`), `--${flag} of ${name}`);
    }
  });

  // Started together, checked one by one.
  const runs = commands.map(([name, command]) => ({ name, command, both: Promise.all([runGuess(['help', name]), runGuess([name, '--help'])]) }));
  for (const { name, command, both } of runs) {
    it(`\`guess help ${name}\` and \`guess ${name} --help\` describe every flag of ${name}`, async () => {
      const [viaHelp, viaFlag] = await both;
      assert.equal(viaHelp.code, 0);
      assert.equal(viaFlag.code, 0);
      assert.equal(viaFlag.stdout, viaHelp.stdout);
      for (const [flag, spec] of Object.entries(command.flags)) {
        assert.ok(viaHelp.stdout.includes(`--${flag}`), `--${flag}`);
        assert.ok(viaHelp.stdout.includes(spec.help), `help text of --${flag}`);
      }
      assert.ok(viaHelp.stdout.includes(command.usage));
    });
  }

  it('answers a bare `guess` with the overview', async () => {
    const { code, stdout } = await runGuess([]);
    assert.equal(code, 0);
    assert.match(stdout, /Usage: guess <command>/);
  });
});
