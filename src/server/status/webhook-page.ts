// The webhook server's page: one row per seed and gate with a progress bar, blockers grouped by reason
// (counts, and the first shoots of each group), review outcomes, certificates and the shoot index.
import { html, type Markup } from './html.js';
import type { GateProgress, ShootGroup } from '../../gardener/migration-progress-shape.js';
import type { CertificateStatus, WebhookStatusDocument } from './documents.js';
import { pageLayout } from './page-layout.js';

export function webhookPage(doc: WebhookStatusDocument): string {
  const s = doc.settings;
  const body = html`
<h2>Settings</h2>
<table><tr><th>Target phase</th><td>${s.phase}</td></tr>
<tr><th>--gardener-version</th><td>${s.gardenerVersion ?? 'not given'}</td></tr>
<tr><th>Release-aware</th><td id="release-aware">${s.releaseAware ? 'yes' : 'no'}</td></tr>
<tr><th>Garden webhook called since start</th><td id="garden-webhook">${doc.gardenWebhook.called ? `yes, ${doc.gardenWebhook.calls} times, last ${doc.gardenWebhook.lastCallAt}` : 'no'}</td></tr></table>
<h2>Shoot index</h2>
<table><tr><th>Source</th><td>${doc.shootIndex.source ?? 'none'}</td></tr>
<tr><th>Synced</th><td>${doc.shootIndex.synced ? 'yes' : 'no'}</td></tr>
<tr><th>Shoots</th><td>${doc.shootIndex.size}</td></tr>
<tr><th>Last sync</th><td>${doc.shootIndex.lastSync ?? 'never'}</td></tr>
${doc.shootIndex.watching === null ? '' : html`<tr><th>Watching</th><td>${doc.shootIndex.watching ? 'yes' : 'no'}</td></tr>`}</table>
<h2>Seeds' gardenlet releases</h2>
<table><tr><th>Read from</th><td>${doc.seedIndex.source ?? 'not read'}</td></tr>
<tr><th>Synced</th><td>${doc.seedIndex.synced ? 'yes' : 'no'}</td></tr>
<tr><th>Seeds</th><td>${doc.seedIndex.size}</td></tr></table>
${doc.seeds.length === 0 ? '' : releaseTable(doc)}
<h2>Migration progress</h2>
${doc.seeds.length === 0 ? html`<p class="muted">No seeds with shoots.</p>` : progressTable(doc)}
${doc.seeds.map((seed) => seed.gates.filter((g) => g.blocking + g.skipped > 0).map((g) => gateDetails(seed.seed, g)))}
<h2>Reviews since start</h2>
${reviewsTable(doc)}
<h2>Certificates</h2>
<table><tr><th>Certificate</th><th>Not after</th><th>Days left</th></tr>
${certRow('serving', doc.certificates.serving)}${doc.certificates.ca ? certRow('CA', doc.certificates.ca) : ''}</table>
`;
  return pageLayout(
    'http-proxy-migrator: webhook server',
    { peerUrl: doc.peerUrl, peerName: 'Register controller', generatedAt: doc.generatedAt, attention: doc.attention },
    body,
  );
}

function progressTable(doc: WebhookStatusDocument): Markup {
  return html`<table id="progress"><tr><th>Seed</th><th>Gate</th><th>Migrated</th><th>Progress</th><th>Blocking</th><th>Skipped</th></tr>
${doc.seeds.map((seed) =>
  seed.gates.map(
    (g) => html`<tr class="gate-row" data-seed="${seed.seed}" data-gate="${g.gate}"><td>${seed.seed}</td><td>${g.gate}</td>
<td>${g.migrated} / ${g.counted}</td><td><progress value="${g.migrated}" max="${Math.max(g.counted, 1)}">${percent(g)}</progress> ${percent(g)}</td>
<td>${g.blocking}</td><td>${g.skipped}</td></tr>`,
  ),
)}</table>`;
}

/** Per seed: the release its gardenlet configuration is judged by when the object names none, and from where. */
function releaseTable(doc: WebhookStatusDocument): Markup {
  return html`<table id="releases"><tr><th>Seed</th><th>Gardenlet release</th><th>Learned from</th><th>Release-aware</th></tr>
${doc.seeds.map(
  ({ seed, release: r }) => html`<tr class="release-row" data-seed="${seed}" data-release-aware="${String(r.releaseAware)}"><td>${seed}</td>
<td>${r.version ?? (r.invalid ? html`<strong>unreadable</strong>: ${r.invalid}` : 'not known')}</td><td>${r.releaseAware ? r.source : html`<span class="muted">tried ${r.source}</span>`}</td><td>${r.releaseAware ? 'yes' : 'no'}</td></tr>`,
)}</table>`;
}

function percent(g: GateProgress): string {
  return g.counted === 0 ? 'nothing to migrate' : `${Math.floor((100 * g.migrated) / g.counted)} %`;
}

function gateDetails(seed: string, g: GateProgress): Markup {
  return html`<section class="gate" data-seed="${seed}" data-gate="${g.gate}"><h3>${seed} · ${g.gate}: ${g.blocking} blocking, ${g.skipped} skipped</h3>
${g.blockingByReason.map((group) => groupDetails('blocking', group))}
${g.skippedByReason.map((group) => groupDetails('skipped', group))}</section>`;
}

function groupDetails(state: 'blocking' | 'skipped', group: ShootGroup): Markup {
  const more = group.count - group.first.length;
  return html`<details class="group" data-state="${state}" data-reason="${group.reason}" data-count="${group.count}"><summary>${state}: <strong>${group.reason}</strong> (${group.count})</summary>
${group.remedy ? html`<p class="remedy">What to do: ${group.remedy}</p>` : ''}
<ul>${group.first.map((s) => html`<li class="shoot">${s.shoot}${s.detail ? html` <span class="muted">${s.detail}</span>` : ''}</li>`)}</ul>
${more > 0 ? html`<p class="muted">and ${more} more (the JSON and audit list them all)</p>` : ''}</details>`;
}

function reviewsTable(doc: WebhookStatusDocument): Markup {
  const webhooks = Object.keys(doc.reviews).sort();
  if (webhooks.length === 0) return html`<p class="muted">No reviews since start.</p>`;
  return html`<table id="reviews"><tr><th>Webhook</th><th>Outcomes</th><th>Reasons</th><th>Handler failures</th></tr>
${webhooks.map((w) => {
  const r = doc.reviews[w]!;
  return html`<tr><td>${w}</td><td>${counts(r.outcomes)}</td><td>${counts(r.reasons)}</td><td>${r.handlerFailures}</td></tr>`;
})}</table>`;
}

function counts(byKey: Record<string, number>): Markup {
  const keys = Object.keys(byKey).sort();
  return keys.length === 0 ? html`<span class="muted">none</span>` : html`${keys.map((k) => html`<div>${k}: ${byKey[k]!}</div>`)}`;
}

function certRow(name: string, cert: CertificateStatus): Markup {
  return html`<tr><td>${name}</td><td>${cert.notAfter}</td><td>${cert.daysLeft}</td></tr>`;
}
