/**
 * The pictures' stylesheet: one set of classes for pages and standalone SVG documents, colors as
 * custom properties with a light and a dark theme (prefers-color-scheme) and a print form (light,
 * no backgrounds that waste ink, maps kept whole on a page).
 */

const LIGHT: Record<string, string> = {
  bg: '#ffffff', fg: '#1b1f24', muted: '#57606a', row: '#f6f8fa', rule: '#d0d7de',
  member: '#dbeafe', 'member-stroke': '#3b6fb6',
  bitfield: '#dff3f0', 'bitfield-stroke': '#2a8a80', bitset: '#1f7a70', bitbar: '#bfe3de',
  flex: '#ece7fd', 'flex-stroke': '#6d4fc2',
  hole: '#fff1dc', 'hole-line': '#d9822b', pad: '#f0f1f3', 'pad-line': '#98a1ab',
  beyond: '#e9ebee', 'beyond-fg': '#8a939d',
  group: '#6b7785', gtitle: '#eef1f4', 'union-title': '#f3ecf9', 'bits-title': '#e6f4f2', 'cap-title': '#e9f3e3',
  warn: '#c62828', 'warn-bg': '#fdecea',
  differs: '#b45309', 'differs-bg': '#fff4d6',
  breaking: '#c62828', compatible: '#2e7d32', padding: '#00838f', api: '#8a6d00',
  link: '#6d4fc2',
};

const DARK: Record<string, string> = {
  bg: '#0f1419', fg: '#e6edf3', muted: '#9aa7b4', row: '#161b22', rule: '#30363d',
  member: '#1d3557', 'member-stroke': '#79a8e8',
  bitfield: '#123b37', 'bitfield-stroke': '#4fc3b5', bitset: '#5fd3c4', bitbar: '#24524c',
  flex: '#2e2650', 'flex-stroke': '#a994f0',
  hole: '#3a2a14', 'hole-line': '#e0a050', pad: '#22272e', 'pad-line': '#6e7781',
  beyond: '#1b1f24', 'beyond-fg': '#6e7781',
  group: '#8b98a5', gtitle: '#1f262e', 'union-title': '#2a2133', 'bits-title': '#17302d', 'cap-title': '#1c2a18',
  warn: '#ff6b6b', 'warn-bg': '#3d1a1a',
  differs: '#f0a040', 'differs-bg': '#3a2c10',
  breaking: '#ff6b6b', compatible: '#6fcf73', padding: '#4dd0e1', api: '#e0c050',
  link: '#a994f0',
};

const vars = (v: Record<string, string>): string => Object.entries(v).map(([k, c]) => `--${k}:${c};`).join('');

/** Classes used by svg.ts inside any map. */
const MAP_CSS = `
.bytemap{font-family:"DejaVu Sans Mono",Menlo,Consolas,"Liberation Mono",ui-monospace,monospace;font-size:11px;fill:var(--fg);overflow:visible}
.bytemap text{fill:var(--fg)}
.bytemap .maptitle{font-size:14px;font-weight:bold}
.bytemap .mapcaption,.bytemap .ruler text,.bytemap .rowoff{fill:var(--muted)}
.bytemap .ruler text,.bytemap .rowoff{font-size:10px}
.bytemap .row{fill:var(--row);stroke:var(--rule);stroke-width:1}
.bytemap .seg{stroke-width:1.2}
.bytemap .member .seg{fill:var(--member);stroke:var(--member-stroke)}
.bytemap .bitfield .seg{fill:var(--bitfield);stroke:var(--bitfield-stroke)}
.bytemap .bitbar{fill:var(--bitbar)}
.bytemap .bitset{fill:var(--bitset)}
.bytemap .bitnums text{font-size:7px;fill:var(--muted)}
.bytemap .flex .seg{fill:var(--flex);stroke:var(--flex-stroke);stroke-dasharray:5 3}
.bytemap .openend{fill:none;stroke:var(--flex-stroke);stroke-width:1.5}
.bytemap .hole .seg{fill:url(#uapi-hatch-hole);stroke:var(--hole-line);stroke-dasharray:3 2}
.bytemap .padding .seg{fill:url(#uapi-hatch-pad);stroke:var(--pad-line);stroke-dasharray:3 2}
.bytemap .beyond .seg{fill:var(--beyond);stroke:var(--beyond-fg);stroke-dasharray:2 2}
.bytemap .beyond text,.bytemap .hexbyte.beyond{fill:var(--beyond-fg)}
.bytemap .hatchbg.hole{fill:var(--hole)}.bytemap .hatch.hole,.hatch.hole{stroke:var(--hole-line);stroke-width:2}
.bytemap .hatchbg.pad{fill:var(--pad)}.bytemap .hatch.pad,.hatch.pad{stroke:var(--pad-line);stroke-width:1.5}
.hatchbg.hole{fill:var(--hole)}.hatchbg.pad{fill:var(--pad)}
.bytemap .name,.bytemap .gname{font-weight:bold}
.bytemap .detail,.bytemap .cont{fill:var(--muted)}
.bytemap .value{fill:var(--fg);font-weight:bold}
.bytemap .hole .name,.bytemap .padding .name{font-weight:normal;font-style:italic}
.bytemap .gframe{fill:none;stroke:var(--group);stroke-width:1;stroke-dasharray:4 2}
.bytemap .gtitle{fill:var(--gtitle);stroke:none}
.bytemap .union>.gtitle{fill:var(--union-title)}
.bytemap .bits>.gtitle{fill:var(--bits-title)}
.bytemap .cap>.gtitle{fill:var(--cap-title)}
.bytemap .cap>.gframe{stroke-dasharray:none;stroke-width:1.5}
.bytemap .gname{font-size:10px}
.bytemap .warnbox{fill:var(--warn-bg);stroke:var(--warn);stroke-width:2;stroke-dasharray:6 3}
.bytemap .warnlabel,.bytemap .warntext{fill:var(--warn);font-weight:bold}
.bytemap .mark-warn .seg,.bytemap .mark-warn>.gframe{stroke:var(--warn);stroke-width:3;stroke-dasharray:none}
.bytemap .mark-warn>.gtitle{fill:var(--warn-bg)}
.bytemap .mark-warn .gname{fill:var(--warn)}
.bytemap .mark-differs .seg{stroke:var(--differs);stroke-width:3;stroke-dasharray:none}
.bytemap .member.mark-differs .seg,.bytemap .bitfield.mark-differs .seg{fill:var(--differs-bg)}
.bytemap .mark-breaking .seg{stroke:var(--breaking);stroke-width:3;stroke-dasharray:none}
.bytemap .mark-compatible .seg{stroke:var(--compatible);stroke-width:3;stroke-dasharray:none}
.bytemap .mark-padding .seg{stroke:var(--padding);stroke-width:3;stroke-dasharray:none}
.bytemap .mark-api .seg{stroke:var(--api);stroke-width:3;stroke-dasharray:none}
.bytemap.mark-breaking .row{stroke:var(--breaking);stroke-width:2}
.bytemap.mark-compatible .row{stroke:var(--compatible);stroke-width:2}
.bytemap.mark-padding .row{stroke:var(--padding);stroke-width:2}
.bytemap.mark-api .row{stroke:var(--api);stroke-width:2}
.bytemap.mark-differs .row{stroke:var(--differs);stroke-width:2}
.bytemap .link{fill:none;stroke:var(--link);stroke-width:1.5}
.bytemap .arrowhead,.arrowhead{fill:var(--link)}
.bytemap .hexbyte{font-size:10px;fill:var(--muted)}
.bytemap .cell:hover .seg{stroke-width:3}
`;

const PRINT = `
@media print{
:root{${vars(LIGHT)}}
body{background:#fff;color:#000}
.bytemap .row{fill:none}
.bytemap .gtitle{fill:none}
figure,section.record,.pair{break-inside:avoid}
nav.index{columns:3}
a{color:inherit;text-decoration:none}
.columns,.pairs{overflow:visible;flex-wrap:wrap}
}
`;

/** The stylesheet of a standalone SVG document (root = the <svg>). */
export function svgDocumentCss(): string {
  return `:root{${vars(LIGHT)}}\n@media (prefers-color-scheme: dark){:root{${vars(DARK)}}}\nsvg.document{background:var(--bg)}\n${MAP_CSS}${PRINT}`;
}

/** The stylesheet of an HTML page: the maps' classes and the page around them. */
export function pageCss(): string {
  return `:root{${vars(LIGHT)};color-scheme:light dark}
@media (prefers-color-scheme: dark){:root{${vars(DARK)}}}
body{margin:0;padding:16px 24px;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,"DejaVu Sans",sans-serif}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:17px;margin:0 0 2px;font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace}
h3{font-size:13px;margin:8px 0 2px;font-weight:normal;color:var(--muted)}
a{color:var(--member-stroke)}
code{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace}
.sub,.loc,figcaption{color:var(--muted);font-size:12px}
figcaption{margin:0 0 4px 44px}
figcaption b{color:var(--fg)}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;margin:8px 0 12px;font-size:12px}
.legend span{display:inline-flex;align-items:center;gap:5px}
.legend svg{vertical-align:middle}
nav.index{columns:4 220px;font-size:12px;margin:8px 0 16px;padding:8px 12px;border:1px solid var(--rule);border-radius:6px}
nav.index a{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace}
nav.index li{break-inside:avoid}
nav.index ul{margin:0;padding-left:16px}
section.record{margin:0 0 28px;padding-top:8px;border-top:1px solid var(--rule)}
.columns,.pairs{display:flex;gap:16px;align-items:flex-start;overflow-x:auto;padding-bottom:4px}
figure{margin:0}
.badge{display:inline-block;padding:0 6px;border-radius:8px;font-size:11px;font-weight:bold;color:var(--bg)}
.badge.breaking{background:var(--breaking)}.badge.compatible{background:var(--compatible)}.badge.padding{background:var(--padding)}.badge.api{background:var(--api)}
.badge.differs{background:var(--differs)}.badge.warn{background:var(--warn)}
ul.changes{margin:4px 0 8px;padding-left:18px}
.warntext{color:var(--warn);font-weight:bold}
.note{color:var(--muted)}
table.constants{border-collapse:collapse;font-size:12px}
table.constants td,table.constants th{border:1px solid var(--rule);padding:2px 6px;text-align:left}
.pair{border:1px solid var(--rule);border-radius:6px;padding:6px 8px;margin:6px 0}
.arrow{align-self:center;font-size:20px;color:var(--muted)}
${MAP_CSS}${PRINT}`;
}
