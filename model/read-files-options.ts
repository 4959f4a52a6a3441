/**
 * The reader options a source may pass to read_files, per file format, as the platform
 * documents them: https://docs.databricks.com/aws/en/sql/language-manual/functions/read_files#options
 * (Generic, CSV, JSON and PARQUET options; the same lists as Auto Loader's format options,
 * https://docs.databricks.com/aws/en/ingestion/cloud-object-storage/auto-loader/options).
 * An option outside its format's list is refused when the source loads, so no key a config
 * file writes reaches SQL text unless it is one of these names.
 */

/** What kind of value an option takes (the Type the options pages give): a SQL literal of that kind is written. */
export type OptionValueKind = 'boolean' | 'string' | 'number';

const GENERIC: Readonly<Record<string, OptionValueKind>> = {
  ignoreCorruptFiles: 'boolean',
  ignoreMissingFiles: 'boolean',
  modifiedAfter: 'string',
  modifiedBefore: 'string',
  recursiveFileLookup: 'boolean',
  useStrictGlobber: 'boolean',
};

const CSV: Readonly<Record<string, OptionValueKind>> = {
  charToEscapeQuoteEscaping: 'string',
  comment: 'string',
  dateFormat: 'string',
  delimiter: 'string',
  emptyValue: 'string',
  encoding: 'string',
  ignoreLeadingWhiteSpace: 'boolean',
  ignoreTrailingWhiteSpace: 'boolean',
  lineSep: 'string',
  locale: 'string',
  maxCharsPerColumn: 'number',
  maxColumns: 'number',
  nanValue: 'string',
  negativeInf: 'string',
  nullValue: 'string',
  positiveInf: 'string',
  quote: 'string',
  sep: 'string',
  skipRows: 'number',
  timestampFormat: 'string',
  timeZone: 'string',
  unescapedQuoteHandling: 'string',
};

const JSON_OPTIONS: Readonly<Record<string, OptionValueKind>> = {
  allowBackslashEscapingAnyCharacter: 'boolean',
  allowComments: 'boolean',
  allowNonNumericNumbers: 'boolean',
  allowNumericLeadingZeros: 'boolean',
  allowSingleQuotes: 'boolean',
  allowUnquotedControlChars: 'boolean',
  allowUnquotedFieldNames: 'boolean',
  dateFormat: 'string',
  dropFieldIfAllNull: 'boolean',
  encoding: 'string',
  lineSep: 'string',
  locale: 'string',
  prefersDecimal: 'boolean',
  primitivesAsString: 'boolean',
  timestampFormat: 'string',
  timeZone: 'string',
};

const PARQUET: Readonly<Record<string, OptionValueKind>> = {
  datetimeRebaseMode: 'string',
  int96RebaseMode: 'string',
};

/** The options each format accepts from a source file. */
export const READ_FILES_OPTIONS: Readonly<Record<'csv' | 'json' | 'parquet', Readonly<Record<string, OptionValueKind>>>> = {
  csv: { ...GENERIC, ...CSV },
  json: { ...GENERIC, ...JSON_OPTIONS },
  parquet: { ...GENERIC, ...PARQUET },
};

/**
 * Options the generated SQL sets itself, which a source may not set or override: the format,
 * the file filter, the declared schema, the failure mode (FAILFAST: a malformed row fails the
 * load naming the file), and the CSV/JSON parsing that the contract of every source relies on
 * (a header row matched by name, quotes escaped by doubling, quoted newlines, one JSON document
 * a line), and what would change which rows or columns the load sees.
 */
export const TEMPLATE_OPTIONS: ReadonlySet<string> = new Set([
  'format',
  'schema',
  'mode',
  'pathGlobFilter',
  'header',
  'escape',
  'multiLine',
  'inferSchema',
  'inferColumnTypes',
  'schemaHints',
  'schemaEvolutionMode',
  'enforceSchema',
  'mergeSchema',
  'rescuedDataColumn',
  'columnNameOfCorruptRecord',
  'badRecordsPath',
  'partitionColumns',
  'singleVariantColumn',
  'readerCaseSensitive',
  'parserCaseSensitive',
  'preferDate',
  'inferTimestamp',
]);

/** The options of a format a source may set: own names only (never `constructor`, `toString`… of Object). */
export function readFilesOptionKind(format: keyof typeof READ_FILES_OPTIONS, key: string): OptionValueKind | undefined {
  return Object.hasOwn(READ_FILES_OPTIONS[format], key) ? READ_FILES_OPTIONS[format][key] : undefined;
}

/**
 * A pipeline puts its configuration values into its SQL source as text before the SQL is
 * parsed, wherever `${key}` appears, inside literals too: such a value could close the literal.
 * https://docs.databricks.com/aws/en/dlt/parameters ("The value is injected into your source
 * code as a string before the source code logic is evaluated.")
 */
export const PIPELINE_SUBSTITUTION = 'a pipeline replaces ${key} with its configuration value as text before parsing its SQL, inside literals too (https://docs.databricks.com/aws/en/dlt/parameters); write it another way';

/**
 * Why an option value cannot be written as a literal both engines read as written, or undefined.
 * Databricks reads a backslash in a string literal as an escape (`\'` does not close it) and a
 * doubled quote as two literals; DuckDB reads both as written: a value holding either would
 * make the two engines (or the generator and Databricks) disagree on where the literal ends,
 * the way out of a literal. https://docs.databricks.com/aws/en/sql/language-manual/data-types/string-type
 * A number is a non-negative whole number (the Int options of the Auto Loader options page).
 */
export function optionValueProblem(kind: OptionValueKind, value: unknown): string | undefined {
  if (typeof value !== kind) return `takes a ${kind}, got ${JSON.stringify(value)}`;
  if (kind === 'number' && !(Number.isSafeInteger(value) && (value as number) >= 0)) return `takes a whole number of 0 or more, got ${String(value)}`;
  if (kind === 'string') {
    // eslint-disable-next-line no-control-regex -- control characters are what it looks for
    const bad = /['\\]|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(value as string);
    if (bad) return `holds ${JSON.stringify(bad[0])}: a quote, a backslash or a control character (other than tab and line ends) in an option value would be read differently by Databricks (backslash escapes) and DuckDB; write the character itself in YAML ("\\t" is a tab)`;
    if ((value as string).includes('${')) return `holds "\${": ${PIPELINE_SUBSTITUTION}`;
  }
  return undefined;
}
