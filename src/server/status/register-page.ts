// The register controller's page: shoots registered, pending and failing, the CA bundle in force, and
// the rollout in waves (per wave its shoots and state, the soak clock, a halt and its reason).
import { html, type Markup } from './html.js';
import type { RegistrationStatusDocument, RolloutStatus } from './documents.js';
import { pageLayout } from './page-layout.js';

export function registerPage(doc: RegistrationStatusDocument): string {
  const s = doc.shoots;
  const more = (total: number, shown: number) => (total > shown ? html`<p class="muted">and ${total - shown} more</p>` : '');
  const body = html`
<h2>Shoot webhook registration</h2>
<table id="registration"><tr><th>This replica</th><td>${doc.leader ? 'leader (writes)' : "standby (the leader's page has the counts)"}</td></tr>
<tr><th>Ready</th><td>${doc.ready ? 'yes' : 'no'}</td></tr>
<tr><th>Registered</th><td>${s.registered}</td></tr><tr><th>Pending</th><td>${s.pending}</td></tr><tr><th>Failed</th><td>${s.failed}</td></tr></table>
${
  s.firstFailed.length > 0
    ? html`<h3>Failed</h3><table id="failed"><tr><th>Shoot namespace</th><th>Error</th><th>Failing since</th></tr>
${s.firstFailed.map((f) => html`<tr><td>${f.namespace}</td><td>${f.error}</td><td>${f.since}</td></tr>`)}</table>${more(s.failed, s.firstFailed.length)}`
    : ''
}
${s.firstPending.length > 0 ? html`<h3>Pending</h3><ul>${s.firstPending.map((n) => html`<li>${n}</li>`)}</ul>${more(s.pending, s.firstPending.length)}` : ''}
<h2>CA bundle in force</h2>
<p>${doc.caBundle.file}${doc.caBundle.lastReadFailed ? ' (last re-read failed; the previous bundle stays in force)' : ''}</p>
<table><tr><th>Subject</th><th>Not after</th><th>Days left</th></tr>
${doc.caBundle.certificates.map((c) => html`<tr><td>${c.subject ?? ''}</td><td>${c.notAfter}</td><td>${c.daysLeft}</td></tr>`)}</table>
${doc.rollout ? rolloutSection(doc.rollout, doc.leader) : ''}
`;
  return pageLayout(
    'http-proxy-migrator: register controller',
    { peerUrl: doc.peerUrl, peerName: 'Webhook server', generatedAt: doc.generatedAt, attention: doc.attention },
    body,
  );
}

function rolloutSection(rollout: RolloutStatus, leader: boolean): Markup {
  const halt = rollout.halt;
  return html`
<h2>Rollout in waves</h2>
${rollout.steppedAt === null ? html`<p class="muted">${leader ? 'No step taken yet.' : 'Only the leader steps the rollout; its page shows the waves.'}</p>` : html`<p class="muted">Last step ${rollout.steppedAt}.</p>`}
${halt ? html`<table id="rollout-halt"><tr><th>Halted since</th><td>${halt.at}</td></tr><tr><th>Shoot</th><td>${halt.shoot}</td></tr><tr><th>ManagedResource</th><td>${halt.managedResource}</td></tr><tr><th>Condition</th><td>${halt.condition}</td></tr><tr><th>Reason</th><td>${halt.reason}</td></tr></table>` : ''}
${
  rollout.waves.length > 0
    ? html`<table id="waves"><tr><th>Wave</th><th>Target</th><th>State</th><th>Shoots</th><th>Moving</th><th>Moved</th><th>Soak ends</th></tr>
${rollout.waves.map((w) => html`<tr><td>${w.name}</td><td>${w.target}</td><td>${w.state}</td><td>${w.shoots}</td><td>${w.moving}</td><td>${w.moved}</td><td>${w.soakEndsAt ?? ''}</td></tr>`)}</table>
${rollout.waves.map((w) => (w.firstShoots.length > 0 ? html`<details class="wave"><summary>${w.name}: ${w.shoots} shoots</summary><ul>${w.firstShoots.map((s) => html`<li>${s.shoot} (${s.standing})</li>`)}</ul>${w.shoots > w.firstShoots.length ? html`<p class="muted">and ${w.shoots - w.firstShoots.length} more</p>` : ''}</details>` : ''))}`
    : ''
}
<p>Set apart: ${rollout.setApart.held} held, ${rollout.setApart.unassigned} in no wave (default target), ${rollout.setApart.notCounted} not counted.</p>
${rollout.firstUnreadable.length > 0 ? html`<h3>Rollout state unreadable</h3><table id="rollout-unreadable"><tr><th>Shoot</th><th>Problem</th></tr>${rollout.firstUnreadable.map((u) => html`<tr><td>${u.shoot}</td><td>${u.problem}</td></tr>`)}</table>` : ''}
`;
}
