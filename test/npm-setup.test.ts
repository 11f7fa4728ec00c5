import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { finished, runGuess } from './helpers/process.js';
import { ROOT } from './helpers/paths.js';

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

interface Manifest {
  readonly allowScripts?: Record<string, boolean>;
}
interface Lock {
  readonly packages: Record<string, { readonly version?: string; readonly hasInstallScript?: boolean }>;
}

const NO_NPX = spawnSync('npx', ['--version'], { encoding: 'utf8' }).status === 0 ? false : 'npx is missing';

describe('npm set-up', { timeout: 30_000 }, () => {
  // npm 11 names every dependency whose install script package.json's allowScripts does not cover.
  it('allows the install script of every locked package that has one, so `npm ci` warns about none', () => {
    const allowed = (JSON.parse(read('package.json')) as Manifest).allowScripts ?? {};
    const lock = JSON.parse(read('package-lock.json')) as Lock;
    const withScripts = Object.entries(lock.packages).filter(([, entry]) => entry.hasInstallScript === true);
    assert.ok(withScripts.some(([path]) => path === 'node_modules/esbuild'), 'esbuild is locked with its install script');
    for (const [path, entry] of withScripts) {
      const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
      const covered = allowed[name] === true || allowed[`${name}@${entry.version ?? ''}`] === true;
      assert.ok(covered, `allowScripts covers ${name}@${entry.version ?? '?'}`);
    }
  });

  // The README tells people to run commands through npx; npx must hand `--help` to guess, not read it itself.
  it('`npx guess serve --help` prints what `guess help serve` prints', { skip: NO_NPX }, async () => {
    // Offline, npx can only run this project's own bin: it never fetches a package named guess.
    const npx = spawn('npx', ['guess', 'serve', '--help'], { cwd: ROOT, env: { ...process.env, npm_config_offline: 'true' } });
    npx.stdin.end();
    const [viaNpx, direct] = await Promise.all([finished(npx), runGuess(['help', 'serve'])]);
    assert.equal(viaNpx.code, 0, viaNpx.stderr);
    assert.match(direct.stdout, /^guess serve: /);
    assert.equal(viaNpx.stdout, direct.stdout);
  });
});
