import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';

/**
 * The project's folders from the bottom up: a folder imports only from the folders before it
 * (same-level folders not from each other), so the domain never depends on how it is
 * deployed, checked or run. Tests, main.ts and the tools at the top import anything.
 */
export const FOLDER_LAYERS = [['model'], ['sql-lang'], ['config'], ['checks'], ['constructs'], ['local', 'plan-review', 'remote'], ['app'], ['scripts', 'bench']];

/** One `import/no-restricted-paths` zone per folder: everything at its level or above it. */
function folderZones() {
  return FOLDER_LAYERS.flatMap((level, index) => {
    const below = FOLDER_LAYERS.slice(0, index).flat();
    const above = FOLDER_LAYERS.slice(index + 1).flat();
    return level.map((folder) => ({
      target: `./${folder}`,
      from: [...above, ...level.filter((f) => f !== folder), '__tests__', 'main.ts'].map((f) => `./${f}`),
      message: `${folder}/ imports only from ${below.length ? below.join(', ') : 'no other folder'}: folder dependencies go one way (FOLDER_LAYERS in eslint.config.mjs).`,
    }));
  });
}

export default tseslint.config(
  { ignores: ['node_modules/', 'cdktf.out/', '.build/', 'coverage/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable' } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@cdktn/provider-databricks',
              message: "The root index loads all ~250 resource modules (+0.5 s, +70 MB per synth). Import the one you need: '@cdktn/provider-databricks/lib/<resource>'.",
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { import: importPlugin },
    settings: { 'import/resolver': { node: { extensions: ['.ts', '.js', '.mjs', '.json'] } } },
    rules: { 'import/no-restricted-paths': ['error', { zones: folderZones() }] },
  },
  {
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
