import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { originAllowed } from '../src/server/origin.js';

describe('originAllowed', () => {
  it('lets the page this server served open the WebSocket', () => {
    assert.equal(originAllowed('http://127.0.0.1:65432', '127.0.0.1:65432', []), true);
    assert.equal(originAllowed('http://Game.Example:8080', 'game.example:8080', []), true);
    assert.equal(originAllowed('http://game.example', 'game.example:80', []), true);
    assert.equal(originAllowed('https://game.example', 'game.example:443', []), true);
  });

  it('refuses any other page, port or scheme', () => {
    assert.equal(originAllowed('http://evil.example', '127.0.0.1:65432', []), false);
    assert.equal(originAllowed('http://127.0.0.1:8080', '127.0.0.1:65432', []), false);
    assert.equal(originAllowed('null', '127.0.0.1:65432', []), false);
    assert.equal(originAllowed('file://', '127.0.0.1:65432', []), false);
    assert.equal(originAllowed('http://127.0.0.1:65432', undefined, []), false);
  });

  it('lets a program with no Origin through, and listed origins or * in', () => {
    assert.equal(originAllowed(undefined, '127.0.0.1:65432', []), true);
    assert.equal(originAllowed('http://friend.example', '127.0.0.1:65432', ['http://friend.example']), true);
    assert.equal(originAllowed('http://evil.example', '127.0.0.1:65432', ['*']), true);
  });
});
