import { InvalidInputError } from '../model/errors';

/**
 * The README's generated regions: each lies between `<!-- <name>:start (npm run generate) -->`
 * and `<!-- <name>:end -->`; `npm run generate` rewrites it and a test fails when it is stale.
 */
export function regionMarkers(name: string): { readonly start: string; readonly end: string } {
  return { start: `<!-- ${name}:start (npm run generate) -->`, end: `<!-- ${name}:end -->` };
}

/** The text of a region, trimmed. */
export function readmeRegion(readme: string, name: string): string {
  const { start, end } = bounds(readme, name);
  return readme.slice(start, end).trim();
}

/** The README with the region `name` replaced by `content`. */
export function withReadmeRegion(readme: string, name: string, content: string): string {
  const { start, end } = bounds(readme, name);
  return `${readme.slice(0, start)}\n${content}\n${readme.slice(end)}`;
}

function bounds(readme: string, name: string): { start: number; end: number } {
  const markers = regionMarkers(name);
  const start = readme.indexOf(markers.start);
  const end = readme.indexOf(markers.end);
  if (start === -1 || end < start) throw new InvalidInputError(`README.md has no ${name} region (${markers.start} … ${markers.end})`);
  return { start: start + markers.start.length, end };
}

/** A Markdown table; `|` inside a cell is escaped. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|').replace(/\n/g, ' ')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
