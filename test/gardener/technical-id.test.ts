import { describe, expect, it } from 'vitest';
import { fqdnBelongsToShoot, technicalIdProblem } from '../../src/gardener/technical-id.js';

describe('shoot technical ID', () => {
  it.each(['shoot--foo--bar', 'shoot--my-project--my-shoot-1', 'shoot-foo-bar', 'shoot-a-b-c', 'shoot--0--1'])('accepts %s', (id) => {
    expect(technicalIdProblem(id)).toBeUndefined();
  });

  it.each([
    ['', /no shoot technical ID/],
    ['garden-foo', /not shoot--/],
    ['shoot--foo', /not shoot--/],
    ['shoot-foo', /not shoot--/],
    ['shoot--foo--bar--baz', /not shoot--/],
    ['shoot--foo---bar', /not shoot--/],
    ['shoot--foo--bar-', /not shoot--/],
    ['shoot--foo--Bar', /not shoot--/],
    ['shoot--foo--bar/x', /not shoot--/],
    [' shoot--foo--bar', /not shoot--/],
    [`shoot--foo--${'b'.repeat(54)}`, /longer than 63/],
  ])('rejects %j', (id, why) => {
    expect(technicalIdProblem(id)).toMatch(why);
  });

  it('rejects a missing ID', () => {
    expect(technicalIdProblem(undefined)).toMatch(/no shoot technical ID/);
  });

  it.each([
    ['api.bar.foo.internal.local.gardener.cloud.', 'shoot--foo--bar', true],
    ['api.bar.foo.internal.local.gardener.cloud', 'shoot--foo--bar', true],
    ['api.bar.foo.internal.local.gardener.cloud.', 'shoot-foo-bar', true],
    ['api.b-c.a.internal.example.com.', 'shoot-a-b-c', true],
    ['api.bar.foo.internal.local.gardener.cloud.', 'shoot--bar--foo', false],
    ['api.baz.foo.internal.local.gardener.cloud.', 'shoot--foo--bar', false],
    ['kube.bar.foo.internal.local.gardener.cloud.', 'shoot--foo--bar', false],
    ['api.bar.foo.', 'shoot--foo--bar', false],
  ])('knows whether %s is the API server of %s', (fqdn, id, belongs) => {
    expect(fqdnBelongsToShoot(fqdn, id)).toBe(belongs);
  });
});
