// The register controller's page: shoots registered, pending and failing, and the CA bundle in force.
import { html } from './html.js';
import type { RegistrationStatusDocument } from './documents.js';
import { pageLayout } from './page-layout.js';

export function registerPage(doc: RegistrationStatusDocument): string {
  const s = doc.shoots;
  const more = (total: number, shown: number) => (total > shown ? html`<p class="muted">and ${total - shown} more</p>` : '');
  const body = html`
<h2>Shoot webhook registration</h2>
<table id="registration"><tr><th>This replica</th><td>${doc.leader ? 'leader (writes)' : 'standby (the leader\'s page has the counts)'}</td></tr>
<tr><th>Ready</th><td>${doc.ready ? 'yes' : 'no'}</td></tr>
<tr><th>Registered</th><td>${s.registered}</td></tr><tr><th>Pending</th><td>${s.pending}</td></tr><tr><th>Failed</th><td>${s.failed}</td></tr></table>
${s.firstFailed.length > 0 ? html`<h3>Failed</h3><table id="failed"><tr><th>Shoot namespace</th><th>Error</th><th>Failing since</th></tr>
${s.firstFailed.map((f) => html`<tr><td>${f.namespace}</td><td>${f.error}</td><td>${f.since}</td></tr>`)}</table>${more(s.failed, s.firstFailed.length)}` : ''}
${s.firstPending.length > 0 ? html`<h3>Pending</h3><ul>${s.firstPending.map((n) => html`<li>${n}</li>`)}</ul>${more(s.pending, s.firstPending.length)}` : ''}
<h2>CA bundle in force</h2>
<p>${doc.caBundle.file}${doc.caBundle.lastReadFailed ? ' (last re-read failed; the previous bundle stays in force)' : ''}</p>
<table><tr><th>Subject</th><th>Not after</th><th>Days left</th></tr>
${doc.caBundle.certificates.map((c) => html`<tr><td>${c.subject ?? ''}</td><td>${c.notAfter}</td><td>${c.daysLeft}</td></tr>`)}</table>
`;
  return pageLayout('http-proxy-migrator: register controller', { peerUrl: doc.peerUrl, peerName: 'Webhook server', generatedAt: doc.generatedAt, attention: doc.attention }, body);
}
