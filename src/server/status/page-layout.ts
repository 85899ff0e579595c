// The frame of both status pages: no scripts, no external assets, one stylesheet allowed by its hash.
import { createHash } from 'node:crypto';
import { Markup, html } from './html.js';
import type { Attention } from './documents.js';

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1b1b1b;background:#fff}
h1{font-size:1.3rem;margin:0 0 .3rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}h3{font-size:1rem;margin:.8rem 0 .3rem}
table{border-collapse:collapse;margin:.3rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}progress{width:12rem;height:1rem}
.banner{border:2px solid #b00020;background:#fde7ea;padding:.5rem .8rem;margin:.4rem 0}
.ok{color:#1b5e20}.muted{color:#666}code{background:#f3f3f3;padding:0 .2rem}
details{margin:.2rem 0}summary{cursor:pointer}ul{margin:.2rem 0 .2rem 1.2rem;padding:0}
`;

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/** No script may run, nothing may load from elsewhere, and the page may not be framed. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${STYLE_HASH}'`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const REFRESH_SECONDS = 30;

export function pageLayout(
  title: string,
  options: { peerUrl?: string; peerName: string; generatedAt: string; attention: readonly Attention[] },
  body: Markup,
): string {
  const peer = options.peerUrl
    ? html`<a href="${options.peerUrl}">${options.peerName} status</a>`
    : html`<span class="muted">${options.peerName} status: no link configured (--peer-status-url)</span>`;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="${REFRESH_SECONDS}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>${new Markup(STYLE)}</style></head>
<body><h1>${title}</h1>
<p class="muted">Generated ${options.generatedAt}; refreshes every ${REFRESH_SECONDS} s. ${peer} · <a href="status">JSON</a> · <a href="metrics">metrics</a></p>
${options.attention.length === 0 ? html`<p class="ok" id="no-attention">Nothing needs action.</p>` : options.attention.map((a) => html`<div class="banner" data-kind="${a.kind}">${a.message}</div>`)}
${body}
</body></html>
`.text;
}
