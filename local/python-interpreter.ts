import { execFileSync } from 'node:child_process';

/** The environment variable that names the interpreter notebooks run on (a test run sets it once for all its processes). */
export const PYTHON_VARIABLE = 'LAKEHOUSE_PYTHON';

/**
 * The Python interpreter notebooks run on: LAKEHOUSE_PYTHON if set, otherwise the one `python3`
 * resolves to, asked once per process. Starting that interpreter directly skips what stands
 * in front of it on PATH (a version manager's shim costs ~0.2 s per start, once per notebook
 * task run), and every notebook of a process runs on the same interpreter.
 */
let interpreter: string | undefined;
export function pythonInterpreter(): string {
  interpreter ??=
    process.env[PYTHON_VARIABLE] ||
    (() => {
      try {
        return execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim() || 'python3';
      } catch {
        return 'python3'; // spawning it then fails with the reason
      }
    })();
  return interpreter;
}
