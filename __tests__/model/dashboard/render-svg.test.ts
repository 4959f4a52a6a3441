import type { DashboardSpec } from '../../../model/dashboard/dashboard-spec';
import { escapeXml, renderDashboardSvg } from '../../../model/dashboard/render-svg';
import { serializeDashboard } from '../../../model/dashboard/serialize';

const spec: DashboardSpec = {
  title: 'Jobs & pipelines <dev>',
  datasets: [
    { name: 'job_runs', displayName: 'Job runs', sql: 'SELECT job_name, runs FROM x', columns: ['job_name', 'runs'] },
    { name: 'daily', displayName: 'Daily', sql: 'SELECT day, runs FROM y', columns: ['day', 'runs'] },
  ],
  pages: [
    {
      name: 'overview',
      displayName: 'Overview',
      widgets: [
        { kind: 'text', name: 'intro', markdown: '## Runs & failures\n\nLast 30 days.', position: { x: 0, y: 0, width: 6, height: 1 } },
        { kind: 'counter', name: 'total', dataset: 'job_runs', title: 'Total runs', value: 'runs', position: { x: 0, y: 1, width: 1, height: 2 } },
        { kind: 'bar', name: 'by_job', dataset: 'job_runs', title: 'Runs by "job"', x: 'job_name', y: 'runs', position: { x: 1, y: 1, width: 5, height: 4 } },
      ],
    },
    {
      name: 'trends',
      displayName: 'Trends <daily>',
      widgets: [
        { kind: 'line', name: 'per_day', dataset: 'daily', title: 'Runs per day', x: 'day', y: 'runs', position: { x: 0, y: 0, width: 4, height: 4 } },
        { kind: 'table', name: 'rows', dataset: 'job_runs', title: 'Every job, with a title far too long to fit in its box', columns: ['job_name', 'runs'], position: { x: 4, y: 0, width: 2, height: 4 } },
      ],
    },
  ],
};

/**
 * A minimal XML well-formedness check (no parser dependency): tags nest and close in order,
 * one root element, attributes quoted and unique, text and attribute values hold no raw `<`
 * and only known entities. Returns the problems found.
 */
function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  const checkText = (text: string, where: string) => {
    if (text.includes('<')) problems.push(`raw < in ${where}`);
    for (let amp = text.indexOf('&'); amp !== -1; amp = text.indexOf('&', amp + 1)) {
      const end = text.indexOf(';', amp);
      const entity = end === -1 ? '' : text.slice(amp + 1, end);
      const known = ['amp', 'lt', 'gt', 'quot', 'apos'].includes(entity) || /^#(\d+|x[0-9a-fA-F]+)$/.test(entity);
      if (!known) problems.push(`bad entity at ${amp} in ${where}`);
    }
  };
  while (i < xml.length) {
    const open = xml.indexOf('<', i);
    const text = xml.slice(i, open === -1 ? xml.length : open);
    if (stack.length === 0 && text.trim() !== '') problems.push(`text outside the root: ${JSON.stringify(text.trim().slice(0, 20))}`);
    checkText(text, 'text');
    if (open === -1) break;
    if (xml.startsWith('<?', open)) {
      const close = xml.indexOf('?>', open);
      if (close === -1 || open !== 0) problems.push('misplaced or unclosed XML declaration');
      i = close === -1 ? xml.length : close + 2;
      continue;
    }
    if (xml.startsWith('<!--', open)) {
      const close = xml.indexOf('-->', open);
      i = close === -1 ? xml.length : close + 3;
      continue;
    }
    const close = xml.indexOf('>', open);
    if (close === -1) {
      problems.push('unclosed tag');
      break;
    }
    const tag = xml.slice(open + 1, close);
    i = close + 1;
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const expected = stack.pop();
      if (expected !== name) problems.push(`</${name}> closes <${expected ?? 'nothing'}>`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const content = selfClosing ? tag.slice(0, -1) : tag;
    const space = content.search(/\s/);
    const name = space === -1 ? content : content.slice(0, space);
    if (!/^[A-Za-z_][\w.-]*$/.test(name)) problems.push(`bad tag name ${JSON.stringify(name)}`);
    let rest = space === -1 ? '' : content.slice(space);
    const seen = new Set<string>();
    while (rest.trim() !== '') {
      const match = /^\s+([A-Za-z_:][\w.:-]*)="([^"]*)"/.exec(rest);
      if (!match) {
        problems.push(`bad attributes in <${name}>: ${rest.trim().slice(0, 30)}`);
        break;
      }
      if (seen.has(match[1])) problems.push(`duplicate attribute ${match[1]} in <${name}>`);
      seen.add(match[1]);
      checkText(match[2], `attribute ${match[1]} of <${name}>`);
      rest = rest.slice(match[0].length);
    }
    if (stack.length === 0) roots++;
    if (!selfClosing) stack.push(name);
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(' > ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

describe('renderDashboardSvg', () => {
  const serialized = serializeDashboard(spec);
  const svg = renderDashboardSvg(serialized, { title: spec.title });

  it('the well-formedness check catches broken XML', () => {
    expect(xmlProblems('<svg><g><rect/></g></svg>')).toEqual([]);
    expect(xmlProblems('<svg><g><rect></g></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg><text>a & b</text></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg><text a="1" a="2"/></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg/><svg/>')).not.toEqual([]);
    expect(xmlProblems('<svg><text>a < b</text></svg>')).not.toEqual([]);
  });

  it('is well-formed XML with balanced groups, an SVG root about 1200 px wide', () => {
    expect(xmlProblems(svg)).toEqual([]);
    expect(count(svg, '<g ')).toBe(count(svg, '</g>'));
    expect(svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="1200" height="\d+"/);
  });

  it('draws one rect per widget, one panel per page, stacked top to bottom', () => {
    expect(count(svg, '<rect class="widget-box"')).toBe(5);
    expect(count(svg, '<g class="widget"')).toBe(5);
    expect(count(svg, '<g class="page-panel"')).toBe(2);
    const panelTops = [...svg.matchAll(/<rect class="page" x="\d+" y="(\d+)"/g)].map((match) => Number(match[1]));
    expect(panelTops).toHaveLength(2);
    expect(panelTops[1]).toBeGreaterThan(panelTops[0]);
  });

  it('shows titles, page names, widget types and dataset names, escaped', () => {
    expect(svg).toContain('>Jobs &amp; pipelines &lt;dev&gt;</text>');
    expect(svg).toContain('>Overview</text>');
    expect(svg).toContain('>Trends &lt;daily&gt;</text>');
    expect(svg).toContain('>Total runs</text>');
    expect(svg).toContain('>Runs by &quot;job&quot;</text>');
    expect(svg).toContain('>Runs &amp; failures</text>'); // text widget: its first heading
    expect(svg).toContain('>Runs per day</text>');
    expect(svg).toContain('>counter · job_runs</text>');
    expect(svg).toContain('>bar · job_runs</text>');
    expect(svg).toContain('>line · daily</text>');
    expect(svg).toContain('>table · job_runs</text>');
    expect(svg).toContain('>text</text>');
    // a title too long for its box is cut, and whole in the widget's tooltip
    expect(svg).toMatch(/>Every job, with[^<]*…<\/text>/);
    expect(svg).toContain('<title>Every job, with a title far too long to fit in its box (rows: table · job_runs)</title>');
  });

  it('places each widget at its grid position: 192 px columns, 56 px rows', () => {
    // by_job: x 1, y 1, width 5, height 4 on the first page (grid top = 24 + 44 + 40 = 108)
    expect(svg).toContain('<rect class="widget-box" x="220" y="168" width="952" height="216"');
  });

  it('draws a glyph for each widget type', () => {
    expect(count(svg, 'class="glyph glyph-bars"')).toBe(1);
    expect(count(svg, '<polyline class="glyph glyph-line"')).toBe(1);
    expect(count(svg, 'class="glyph glyph-number"')).toBe(1);
    expect(count(svg, 'class="glyph glyph-rows"')).toBe(1);
    expect(count(svg, '>¶</text>')).toBe(1);
  });

  it('is deterministic', () => {
    expect(renderDashboardSvg(serializeDashboard(spec), { title: spec.title })).toBe(svg);
  });

  it('reads any Lakeview definition: older text widgets, filter widgets, no title', () => {
    const foreign = JSON.stringify({
      datasets: [{ name: 'a1', displayName: 'A', query: 'SELECT 1' }],
      pages: [
        {
          name: 'p1',
          displayName: 'Page',
          layout: [
            { widget: { name: 'w1', textbox_spec: '# NYC Taxi Trip Analysis' }, position: { x: 0, y: 0, width: 6, height: 1 } },
            {
              widget: {
                name: 'w2',
                queries: [{ name: 'q', query: { datasetName: 'a1', fields: [{ name: 'f', expression: '`f`' }], disaggregated: false } }],
                spec: { version: 2, widgetType: 'filter-multi-select', encodings: {}, frame: { showTitle: true, title: 'Pickup Zip' } },
              },
              position: { x: 0, y: 1, width: 2, height: 1 },
            },
          ],
        },
        { name: 'empty', displayName: 'Empty page' },
      ],
    });
    const picture = renderDashboardSvg(foreign);
    expect(xmlProblems(picture)).toEqual([]);
    expect(count(picture, '<rect class="widget-box"')).toBe(2);
    expect(picture).toContain('>NYC Taxi Trip Analysis</text>');
    expect(picture).toContain('>filter-multi-select · a1</text>');
    expect(picture).toContain('>?</text>');
    expect(picture).toContain('>Empty page</text>');
    expect(picture).toContain('<title>Lakeview dashboard layout</title>');
  });

  it('says what is wrong with a definition it cannot read', () => {
    expect(() => renderDashboardSvg('{not json')).toThrow(/dashboard definition is not JSON/);
    expect(() => renderDashboardSvg('{"pages":[{"name":"p","layout":[{"widget":{"name":"w"}}]}]}')).toThrow('page "p" layout[0].position is not an object');
    expect(() => renderDashboardSvg('{"pages":[{"name":"p","layout":[{"widget":{"name":"w"},"position":{"x":"0"}}]}]}')).toThrow('widget "w" position.x is not a number');
  });
});

describe('escapeXml', () => {
  it('escapes markup characters, folds whitespace and drops characters XML cannot hold', () => {
    expect(escapeXml(`a<b>&"c'\n\td\u0000\u0007e`)).toBe('a&lt;b&gt;&amp;&quot;c&apos; de');
  });
});
