/**
 * An SVG picture of a Lakeview dashboard's layout, drawn from the serialized definition itself
 * (what is deployed, not the spec it came from): one panel per page, stacked; each widget a box
 * at its grid position with its title, widget type and dataset, and a small glyph of its type.
 * Pure and deterministic: the same definition always gives the same SVG text.
 */
import { GRID_COLUMNS } from './dashboard-spec';

export interface RenderOptions {
  /** Heading of the picture, e.g. the dashboard's display name (not part of the definition). */
  readonly title?: string;
}

interface LayoutWidget {
  readonly name: string;
  readonly type: string;
  readonly title: string;
  readonly datasets: readonly string[];
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

interface LayoutPage {
  readonly name: string;
  readonly displayName: string;
  readonly widgets: readonly LayoutWidget[];
}

const WIDTH = 1200;
const MARGIN = 24;
const COLUMN = (WIDTH - 2 * MARGIN) / GRID_COLUMNS; // 192 px
const ROW = 56;
const INSET = 4;
const HEADING = 44;
const PAGE_HEADER = 40;
const PAGE_GAP = 24;
const PAGE_PADDING = 12;
const GLYPH_WIDTH = 36;
const GLYPH_HEIGHT = 24;
const PADDING = 10;

const COLOURS: Record<string, { stroke: string; fill: string }> = {
  counter: { stroke: '#077A9D', fill: '#E6F3F7' },
  bar: { stroke: '#B87A00', fill: '#FFF5E0' },
  line: { stroke: '#00A972', fill: '#E5F7F0' },
  table: { stroke: '#3A7CA5', fill: '#EEF6FB' },
  text: { stroke: '#6B6B6B', fill: '#F4F4F4' },
};
const OTHER = { stroke: '#AB4057', fill: '#FBEFF2' };

const STYLE = [
  'text { font-family: Helvetica, Arial, sans-serif; fill: #1B3139; }',
  '.heading { font-size: 22px; font-weight: 700; }',
  '.page { fill: #FFFFFF; stroke: #C9D1D6; }',
  '.page-title { font-size: 17px; font-weight: 700; }',
  '.column { stroke: #EEF1F3; }',
  '.widget-title { font-size: 14px; font-weight: 700; }',
  '.widget-meta { font-size: 12px; fill: #5F7281; }',
  '.glyph-line { fill: none; stroke-width: 2; }',
  '.glyph-rows { fill: none; stroke-width: 2; }',
  '.glyph-number { font-size: 20px; font-weight: 700; }',
  '.glyph-char { font-size: 20px; }',
].join(' ');

export function renderDashboardSvg(serialized: string, options: RenderOptions = {}): string {
  const pages = parseLayout(serialized);
  const body: string[] = [];
  let top = MARGIN;
  if (options.title !== undefined) {
    body.push(`  <text class="heading" x="${MARGIN}" y="${top + 24}">${escapeXml(options.title)}</text>`);
    top += HEADING;
  }
  for (const page of pages) {
    const rows = Math.max(1, ...page.widgets.map((widget) => widget.y + widget.height));
    const height = PAGE_HEADER + rows * ROW + PAGE_PADDING;
    body.push(...renderPage(page, top, rows, height));
    top += height + PAGE_GAP;
  }
  const totalHeight = top - PAGE_GAP + MARGIN;
  const label = options.title ?? 'Lakeview dashboard layout';
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${totalHeight}" viewBox="0 0 ${WIDTH} ${totalHeight}" role="img">`,
    `  <title>${escapeXml(label)}</title>`,
    `  <style>${STYLE}</style>`,
    `  <rect class="background" x="0" y="0" width="${WIDTH}" height="${totalHeight}" fill="#F7F9FA"/>`,
    ...body,
    `</svg>`,
    '',
  ].join('\n');
}

function renderPage(page: LayoutPage, top: number, rows: number, height: number): string[] {
  const gridTop = top + PAGE_HEADER;
  const lines = [
    `  <g class="page-panel" data-page="${escapeXml(page.name)}">`,
    `    <rect class="page" x="${MARGIN - PAGE_PADDING / 2}" y="${top}" width="${WIDTH - 2 * MARGIN + PAGE_PADDING}" height="${height}" rx="8"/>`,
    `    <text class="page-title" x="${MARGIN + PADDING}" y="${top + 26}">${escapeXml(page.displayName)}</text>`,
  ];
  for (let column = 1; column < GRID_COLUMNS; column++) {
    const x = MARGIN + column * COLUMN;
    lines.push(`    <line class="column" x1="${x}" y1="${gridTop}" x2="${x}" y2="${gridTop + rows * ROW}"/>`);
  }
  for (const widget of page.widgets) lines.push(...renderWidget(widget, gridTop));
  lines.push('  </g>');
  return lines;
}

function renderWidget(widget: LayoutWidget, gridTop: number): string[] {
  const x = MARGIN + widget.x * COLUMN + INSET;
  const y = gridTop + widget.y * ROW + INSET;
  const width = widget.width * COLUMN - 2 * INSET;
  const height = widget.height * ROW - 2 * INSET;
  const colour = COLOURS[widget.type] ?? OTHER;
  const meta = widget.datasets.length > 0 ? `${widget.type} · ${widget.datasets.join(', ')}` : widget.type;
  // The glyph sits in the top-right corner, beside the title; the meta line runs below it.
  const titleWidth = width - 2 * PADDING - GLYPH_WIDTH - 8;
  const metaWidth = width - 2 * PADDING;
  const tooltip = `${widget.title} (${widget.name}: ${meta})`;
  return [
    `    <g class="widget" data-widget="${escapeXml(widget.name)}" data-type="${escapeXml(widget.type)}">`,
    `      <title>${escapeXml(tooltip)}</title>`,
    `      <rect class="widget-box" x="${x}" y="${y}" width="${width}" height="${height}" rx="6" fill="${colour.fill}" stroke="${colour.stroke}"/>`,
    `      <text class="widget-title" x="${x + PADDING}" y="${y + 20}">${escapeXml(fit(widget.title, titleWidth, 8))}</text>`,
    `      <text class="widget-meta" x="${x + PADDING}" y="${y + 40}">${escapeXml(fit(meta, metaWidth, 7))}</text>`,
    ...glyph(widget.type, x + width - PADDING - GLYPH_WIDTH, y + 6, colour.stroke).map((line) => `      ${line}`),
    `    </g>`,
  ];
}

/** A tiny picture of the widget type in a GLYPH_WIDTH × GLYPH_HEIGHT box at (left, top). */
function glyph(type: string, left: number, top: number, colour: string): string[] {
  const bottom = top + GLYPH_HEIGHT;
  switch (type) {
    case 'bar': {
      const bars = [10, 18, 13, 22].map((barHeight, i) => `M${left + 2 + i * 9} ${bottom}v-${barHeight}h6v${barHeight}z`);
      return [`<path class="glyph glyph-bars" d="${bars.join('')}" fill="${colour}"/>`];
    }
    case 'line': {
      const points = [0, 14, 8, 20, 4].map((drop, i) => `${left + i * 9},${top + 2 + drop}`).join(' ');
      return [`<polyline class="glyph glyph-line" points="${points}" stroke="${colour}"/>`];
    }
    case 'counter':
      return [`<text class="glyph glyph-number" x="${left + GLYPH_WIDTH}" y="${bottom - 2}" text-anchor="end" fill="${colour}">42</text>`];
    case 'table': {
      const rows = [0, 8, 16, 24].map((offset) => `M${left} ${top + offset}h${GLYPH_WIDTH}`);
      return [`<path class="glyph glyph-rows" d="${rows.join('')}" stroke="${colour}"/>`];
    }
    case 'text':
      return [`<text class="glyph glyph-char" x="${left + GLYPH_WIDTH}" y="${bottom - 2}" text-anchor="end" fill="${colour}">¶</text>`];
    default:
      return [`<text class="glyph glyph-char" x="${left + GLYPH_WIDTH}" y="${bottom - 2}" text-anchor="end" fill="${colour}">?</text>`];
  }
}

/** The text cut with an ellipsis to fit `width` px, at `charWidth` px a character on average. */
function fit(text: string, width: number, charWidth: number): string {
  const max = Math.max(1, Math.floor(width / charWidth));
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/\s+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

// ---------- reading the definition ----------

function parseLayout(serialized: string): LayoutPage[] {
  let definition: unknown;
  try {
    definition = JSON.parse(serialized);
  } catch (error) {
    throw new Error(`dashboard definition is not JSON: ${(error as Error).message}`);
  }
  const root = object(definition, 'dashboard definition');
  const pages = root.pages === undefined ? [] : array(root.pages, 'pages');
  return pages.map((value, index) => {
    const page = object(value, `pages[${index}]`);
    const name = string(page.name, `pages[${index}].name`);
    const layout = page.layout === undefined ? [] : array(page.layout, `page "${name}" layout`);
    return {
      name,
      displayName: optionalString(page.displayName) ?? name,
      widgets: layout.map((entry, position) => layoutWidget(entry, `page "${name}" layout[${position}]`)),
    };
  });
}

function layoutWidget(value: unknown, where: string): LayoutWidget {
  const entry = object(value, where);
  const widget = object(entry.widget, `${where}.widget`);
  const position = object(entry.position, `${where}.position`);
  const name = string(widget.name, `${where}.widget.name`);
  const spec = widget.spec === undefined ? {} : object(widget.spec, `widget "${name}" spec`);
  const frame = spec.frame === undefined ? {} : object(spec.frame, `widget "${name}" frame`);
  const markdown = textOf(widget);
  const type = optionalString(spec.widgetType) ?? (markdown === undefined ? 'widget' : 'text');
  const queries = widget.queries === undefined ? [] : array(widget.queries, `widget "${name}" queries`);
  const datasets = queries.flatMap((query, i) => {
    const inner = object(object(query, `widget "${name}" queries[${i}]`).query, `widget "${name}" queries[${i}].query`);
    const dataset = optionalString(inner.datasetName);
    return dataset === undefined ? [] : [dataset];
  });
  return {
    name,
    type,
    title: nonBlank(optionalString(frame.title)) ?? nonBlank(headingOf(markdown)) ?? name,
    datasets: [...new Set(datasets)],
    x: number(position.x, `widget "${name}" position.x`),
    y: number(position.y, `widget "${name}" position.y`),
    width: number(position.width, `widget "${name}" position.width`),
    height: number(position.height, `widget "${name}" position.height`),
  };
}

/** The markdown of a text widget (current `multilineTextboxSpec` or older `textbox_spec`). */
function textOf(widget: Record<string, unknown>): string | undefined {
  if (typeof widget.textbox_spec === 'string') return widget.textbox_spec;
  if (widget.multilineTextboxSpec === undefined) return undefined;
  const lines = object(widget.multilineTextboxSpec, 'multilineTextboxSpec').lines;
  return Array.isArray(lines) ? lines.filter((line): line is string => typeof line === 'string').join('') : '';
}

/** First non-blank line of the markdown, without heading marks. */
function headingOf(markdown: string | undefined): string | undefined {
  const line = markdown?.split('\n').find((candidate) => candidate.trim() !== '');
  return line?.replace(/^\s*#+\s*/, '').trim();
}

function nonBlank(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === '' ? undefined : text.trim();
}

function object(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where} is not an object`);
  return value as Record<string, unknown>;
}

function array(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${where} is not an array`);
  return value;
}

function string(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new Error(`${where} is not a string`);
  return value;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function number(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${where} is not a number`);
  return value;
}
