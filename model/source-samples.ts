import type { Source, SourceColumn } from './source';

/**
 * Sample data for a source, for local runs: a few rows per column type, deterministic, with
 * a second version of the first key (a later sequence value: the latest wins) and a row
 * without a key (it goes to quarantine). CSV only: the local engine reads CSV.
 */
function value(column: SourceColumn, row: number, source: Source): string {
  const type = column.type.toUpperCase();
  if (source.key.includes(column.name)) {
    // row 3 repeats row 0's key (a later version), row 4 has none (to quarantine); a key of
    // another type than a string gets a value of its type
    if (row === 4) return '';
    const keyRow = row === 3 ? 0 : row;
    return /^(STRING|VARCHAR|CHAR)/.test(type) ? `${source.name.toUpperCase()}-${keyRow + 1}` : plainValue(type, column, keyRow);
  }
  return plainValue(type, column, row);
}

function plainValue(type: string, column: SourceColumn, row: number): string {
  if (/^(STRING|VARCHAR|CHAR)/.test(type)) return `${column.name}-${row + 1}`;
  if (/^(INT|INTEGER|BIGINT|SMALLINT|TINYINT|LONG|SHORT|BYTE)$/.test(type)) return String(row + 1);
  if (/^(DECIMAL|DEC|NUMERIC|DOUBLE|FLOAT|REAL)/.test(type)) return `${(row + 1) * 10}.50`;
  if (/^TIMESTAMP/.test(type)) return `2026-11-2${row} 0${row}:00:00`;
  if (type === 'DATE') return `2026-11-2${row}`;
  if (type === 'BOOLEAN') return row % 2 === 0 ? 'true' : 'false';
  return '';
}

/** The sample CSV of a source, or undefined for formats the local engine does not read. */
export function sampleCsv(source: Source): string | undefined {
  if (source.landing.format !== 'csv') return undefined;
  const rows = [0, 1, 2, 3, 4].map((row) => source.columns.map((c) => value(c, row, source)).join(','));
  return `${[source.columns.map((c) => c.name).join(','), ...rows].join('\n')}\n`;
}
