/**
 * The reader options a source may pass to read_files, per file format, as the platform
 * documents them: https://docs.databricks.com/aws/en/sql/language-manual/functions/read_files#options
 * (Generic, CSV, JSON and PARQUET options; the same lists as Auto Loader's format options,
 * https://docs.databricks.com/aws/en/ingestion/cloud-object-storage/auto-loader/options).
 * An option outside its format's list is refused when the source loads, so no key a config
 * file writes reaches SQL text unless it is one of these names.
 */

/** What kind of value an option takes: a SQL literal of that kind is written. */
export type OptionValueKind = 'boolean' | 'string';

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
  maxCharsPerColumn: 'string',
  maxColumns: 'string',
  nanValue: 'string',
  negativeInf: 'string',
  nullValue: 'string',
  positiveInf: 'string',
  quote: 'string',
  sep: 'string',
  skipRows: 'string',
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
