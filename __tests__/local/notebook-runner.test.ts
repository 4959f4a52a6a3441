import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNotebook } from '../../local/notebook-runner';
import { pythonInterpreter } from '../../local/python-interpreter';
import { Scratch } from './harness';

let scratch: Scratch;
let dir: string;
beforeEach(async () => {
  scratch = await Scratch.open();
  dir = mkdtempSync(join(tmpdir(), 'notebook-runner-'));
});
afterEach(() => {
  scratch.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the local notebook host', () => {
  it('starts without site startup hooks, and a notebook still imports an installed library', async () => {
    // a library installed in a user site-packages folder of its own (PYTHONUSERBASE)
    const env = { PYTHONUSERBASE: join(dir, 'userbase') };
    const sitePackages = execFileSync(pythonInterpreter(), ['-c', 'import site; print(site.getusersitepackages())'], { env: { ...process.env, ...env }, encoding: 'utf8' }).trim();
    mkdirSync(sitePackages, { recursive: true });
    writeFileSync(join(sitePackages, 'lakehouse_probe.py'), 'VALUE = "installed"\n');
    const notebook = join(dir, 'probe.py');
    writeFileSync(notebook, ['# Databricks notebook source', 'import sys', 'import lakehouse_probe', 'print(lakehouse_probe.VALUE, sys.flags.no_site)', ''].join('\n'));

    const { output } = await runNotebook(scratch.engine, notebook, {}, { env });
    expect(output).toBe('installed 1\n');
  });
});
