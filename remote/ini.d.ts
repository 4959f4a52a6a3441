// The `ini` package ships no type declarations; this declares the one function remote/ uses.
declare module 'ini' {
  /**
   * Parses INI text: each `[section]` becomes an object of its `key = value` pairs (dotted
   * section names nest: `[a.b]` is `{ a: { b: … } }`); values are strings, or booleans for
   * `true`/`false`.
   */
  export function parse(text: string): Record<string, unknown>;
}
