/**
 * Databricks constructs the local engine does not translate. Meeting one is an error that
 * names it and where it is, never a silent approximation.
 */
const UNSUPPORTED: readonly [string, RegExp][] = [
  ['COPY INTO', /\bCOPY\s+INTO\b/i],
  ['INSERT OVERWRITE', /\bINSERT\s+OVERWRITE\b/i],
  ['table_changes() (Change Data Feed)', /\btable_changes\s*\(/i],
  ['DESCRIBE HISTORY', /\bDESCRIBE\s+HISTORY\b/i],
  ['time travel (VERSION/TIMESTAMP AS OF)', /\b(VERSION|TIMESTAMP)\s+AS\s+OF\b/i],
  ['OPTIMIZE', /^\s*OPTIMIZE\b/i],
  ['VACUUM', /^\s*VACUUM\b/i],
  ['ZORDER', /\bZORDER\s+BY\b/i],
  ['TBLPROPERTIES', /\bTBLPROPERTIES\b/i],
  ['PARTITIONED BY', /\bPARTITIONED\s+BY\b/i],
  ['MERGE WITH SCHEMA EVOLUTION', /\bMERGE\s+WITH\s+SCHEMA\s+EVOLUTION\b/i],
  ['a declarative pipeline statement (CREATE OR REFRESH, APPLY CHANGES, AUTO CDC, EXPECT, STREAM)', /\b(CREATE\s+OR\s+REFRESH|APPLY\s+CHANGES|AUTO\s+CDC|EXPECT\s*\(|STREAM\s*\()/i],
  ['date_format()', /\bdate_format\s*\(/i],
  ['nvl()', /\bnvl\s*\(/i],
  ['from_json()/to_json()', /\b(from_json|to_json)\s*\(/i],
  ['semi-structured path (col:field)', /\w:\w+:\w/],
  ['event_log()', /\bevent_log\s*\(/i],
  ['system tables', /\bsystem\.(access|lakeflow|billing|compute|query)\./i],
];

/**
 * Constructs that only the engine's emulation of the Delta change data feed translates
 * (change-data-feed.ts): unsupported in a translation without it.
 */
const CHANGE_DATA_FEED_CONSTRUCTS: ReadonlySet<string> = new Set(['table_changes() (Change Data Feed)', 'DESCRIBE HISTORY']);

export interface TranslationFeatures {
  /** The translation reads the engine's change data feed: table_changes() and DESCRIBE HISTORY are translated. @default false */
  readonly changeDataFeed?: boolean;
}

export interface UnsupportedConstruct {
  readonly construct: string;
  /** 0-based line offset inside the statement. */
  readonly lineOffset: number;
}

/** The first construct of a masked statement that has no local translation, if any. */
export function findUnsupportedConstruct(masked: string, features: TranslationFeatures = {}): UnsupportedConstruct | undefined {
  for (const [construct, pattern] of UNSUPPORTED) {
    if (features.changeDataFeed && CHANGE_DATA_FEED_CONSTRUCTS.has(construct)) continue;
    const match = pattern.exec(masked);
    if (match) return { construct, lineOffset: masked.slice(0, match.index).split('\n').length - 1 };
  }
  return undefined;
}
