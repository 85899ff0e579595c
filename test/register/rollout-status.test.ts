// The rollout on the register process's /status, page and /metrics, from a real rollout against the
// loopback seed: waves with their shoots and states, the soak clock, and a halt with its (escaped) reason.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { registerRegistrationStatusMetrics, registrationStatus } from '../../src/register/status.js';
import { createOperatorApp } from '../../src/server/operator-app.js';
import type { RegistrationStatusDocument } from '../../src/server/status/documents.js';
import { registerPage } from '../../src/server/status/register-page.js';
import { until } from '../support/until.js';
import { FakeClock, MINUTE, haltOf, startRolloutSeed, waves } from './rollout-harness.js';
import { SteppingMover } from './stepping-mover.js';

describe('rollout status', () => {
  it('shows per wave its shoots and state, the soak clock, and a halt with its reason', async () => {
    const seed = await startRolloutSeed();
    const ops = seed.addShoot({ project: 'ops', name: 'a' });
    const rest = seed.addShoot({ project: 'p1', name: 'b' });
    const clock = new FakeClock();
    const config = waves({
      waves: [
        { name: 'operators', target: 'unified', selector: { projects: ['ops'] } },
        { name: 'rest', target: 'unified', selector: {} },
      ],
    });
    const rollout = await seed.start(new SteppingMover(1), config, clock);
    const inputs = { registration: rollout.registration, caFile: seed.caFile, startedAt: 0, rollout: true };
    registerRegistrationStatusMetrics(rollout.registry, inputs);
    const app = createOperatorApp({
      registry: rollout.registry,
      readiness: () => [],
      status: () => registrationStatus(inputs),
      page: registerPage,
    });

    await until(() => seed.progress(ops)?.movedAt !== undefined, 'moved');
    await rollout.steps(1);
    let doc = (await request(app).get('/status').expect(200)).body as RegistrationStatusDocument;
    expect(doc.rollout!.halt).toBeNull();
    expect(doc.rollout!.waves).toEqual([
      {
        name: 'operators',
        target: 'unified',
        state: 'soaking',
        shoots: 1,
        moving: 0,
        moved: 1,
        soakEndsAt: new Date(clock.ms + 30 * MINUTE).toISOString(),
        firstShoots: [{ shoot: ops, standing: 'moved' }],
      },
      {
        name: 'rest',
        target: 'unified',
        state: 'pending',
        shoots: 1,
        moving: 0,
        moved: 0,
        soakEndsAt: null,
        firstShoots: [{ shoot: rest, standing: 'waiting' }],
      },
    ]);
    expect(doc.attention).toEqual([]);

    seed.setCondition(ops, 'shoot-core-vpn-shoot', 'ResourcesApplied', 'False', '<script>x</script>');
    await until(() => haltOf(seed) !== undefined, 'halted');
    await rollout.steps(1);
    doc = (await request(app).get('/status').expect(200)).body as RegistrationStatusDocument;
    expect(doc.rollout!.halt).toMatchObject({
      shoot: ops,
      managedResource: 'shoot-core-vpn-shoot',
      condition: 'ResourcesApplied',
      reason: '<script>x</script>',
    });
    expect(doc.rollout!.waves.map((w) => w.state)).toEqual(['halted', 'pending']);
    expect(doc.attention.map((a) => a.kind)).toEqual(['rollout-halted']);

    const page = (await request(app).get('/').expect(200)).text;
    expect(page).toContain('<h2>Rollout in waves</h2>');
    expect(page).toContain('<td>&lt;script&gt;x&lt;/script&gt;</td>');
    expect(page).not.toContain('<script>');
    expect(page).toMatch(/<td>operators<\/td><td>unified<\/td><td>halted<\/td><td>1<\/td>/);

    const metrics = (await request(app).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/^http_proxy_migrator_rollout_halted 1$/m);
    expect(metrics).toMatch(/^http_proxy_migrator_rollout_wave_shoots\{wave="operators"\} 1$/m);
    expect(metrics).toMatch(/^http_proxy_migrator_rollout_wave_state\{wave="operators",state="halted"\} 1$/m);
    expect(metrics).toMatch(/^http_proxy_migrator_rollout_halts_total\{condition="ResourcesApplied"\} 1$/m);
  });
});
