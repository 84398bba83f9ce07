import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Application, ResourceNode } from '../src/api';
import { awaitsDecision, count, emptyFilter, enumName, findDesired, flattenTree, matches, mayApprove, revisionLabel, rowWindow, splitManifests } from '../src/model';

const app = (name: string, sync: string, health: string, paused = false): Application =>
  ({ name, syncStatus: sync, healthStatus: health, paused, source: { repoUrl: 'https://git.example/r.git', path: `apps/${name}` }, destination: { namespace: `ns-${name}` } });

test('enum names from the JSON mapping become labels', () => {
  assert.equal(enumName('SYNC_STATUS_OUT_OF_SYNC', 'SYNC_STATUS_'), 'OutOfSync');
  assert.equal(enumName('HEALTH_STATUS_HEALTHY', 'HEALTH_STATUS_'), 'Healthy');
  assert.equal(enumName(undefined, 'SYNC_STATUS_'), 'Unknown');
  assert.equal(enumName('Running', 'OPERATION_PHASE_'), 'Running');
});

test('filters combine status, paused and a text search over several fields', () => {
  const apps = [app('web', 'SYNC_STATUS_SYNCED', 'HEALTH_STATUS_HEALTHY'), app('db', 'SYNC_STATUS_OUT_OF_SYNC', 'HEALTH_STATUS_DEGRADED', true)];
  const names = (f: Partial<typeof emptyFilter>) => apps.filter(a => matches(a, { ...emptyFilter, ...f })).map(a => a.name);
  assert.deepEqual(names({}), ['web', 'db']);
  assert.deepEqual(names({ sync: 'OutOfSync' }), ['db']);
  assert.deepEqual(names({ health: 'Healthy' }), ['web']);
  assert.deepEqual(names({ paused: 'paused' }), ['db']);
  assert.deepEqual(names({ paused: 'active' }), ['web']);
  assert.deepEqual(names({ text: 'NS-DB' }), ['db']);
  assert.deepEqual(names({ text: 'apps/web' }), ['web']);
  assert.deepEqual(names({ text: 'nothing' }), []);
});

test('counts per status', () => {
  const c = count([app('a', 'SYNC_STATUS_SYNCED', 'HEALTH_STATUS_HEALTHY'), app('b', 'SYNC_STATUS_SYNCED', 'HEALTH_STATUS_PROGRESSING', true), app('c', '', '')]);
  assert.equal(c.total, 3);
  assert.deepEqual(c.sync, { Synced: 2, OutOfSync: 0, Unknown: 1 });
  assert.equal(c.health.Progressing, 1);
  assert.equal(c.health.Unknown, 1);
  assert.equal(c.paused, 1);
});

test('the tree lists each object, then what it owns, indented; orphans and cycles do not hang it', () => {
  const node = (kind: string, name: string, parentKey = '', tracked = !parentKey): ResourceNode =>
    ({ key: `${kind}/${name}`, kind, name, parentKey, tracked });
  const rows = flattenTree([
    node('Pod', 'web-1-b', 'ReplicaSet/web-1'), node('Service', 'web'), node('ReplicaSet', 'web-1', 'Deployment/web'),
    node('Pod', 'web-1-a', 'ReplicaSet/web-1'), node('Deployment', 'web'), node('Pod', 'stray', 'ReplicaSet/gone'),
    node('Job', 'x', 'Job/y'), node('Job', 'y', 'Job/x'),
  ]);
  assert.deepEqual(rows.map(r => `${'  '.repeat(r.depth)}${r.node.key}`), [
    'Deployment/web', '  ReplicaSet/web-1', '    Pod/web-1-a', '    Pod/web-1-b', 'Pod/stray', 'Service/web',
  ]);
});

test('manifests split per object; a Secret keeps its name but never its YAML', () => {
  const objects = splitManifests([
    'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: settings', '  labels:', '    name: not-this', 'data:', '  value: v1',
    '---', 'apiVersion: v1', 'kind: Secret', 'metadata:', "  name: 'creds'", '  namespace: prod', 'stringData:', '  password: hunter2', '',
  ].join('\n'));
  assert.deepEqual(objects.map(o => [o.kind, o.namespace, o.name]), [['ConfigMap', '', 'settings'], ['Secret', 'prod', 'creds']]);
  assert.match(objects[0].yaml ?? '', /value: v1/);
  assert.equal(objects[1].yaml, null);
  assert.ok(!JSON.stringify(objects).includes('hunter2'));
  assert.equal(findDesired(objects, { kind: 'ConfigMap', name: 'settings', namespace: 'any' }), objects[0]);
  assert.equal(findDesired(objects, { kind: 'Secret', name: 'creds', namespace: 'other' }), undefined);
});

test('who may approve a pipeline: admins all, approvers theirs, read-only none', () => {
  assert.equal(mayApprove({ role: 'ROLE_ADMIN', allPipelines: true }, 'release'), true);
  assert.equal(mayApprove({ role: 'ROLE_APPROVER', pipelines: ['release'] }, 'release'), true);
  assert.equal(mayApprove({ role: 'ROLE_APPROVER', pipelines: ['release'] }, 'other'), false);
  assert.equal(mayApprove({ role: 'ROLE_APPROVER', allPipelines: true }, 'other'), true);
  assert.equal(mayApprove({ role: 'ROLE_READ_ONLY', allPipelines: true }, 'release'), false);
});

test('a candidate awaits a decision while open and its approval gate has not passed', () => {
  const approval = (state: string) => ({ kind: 'approval', state });
  assert.equal(awaitsDecision({ phase: 'CANDIDATE_PHASE_WAITING', gates: [approval('GATE_STATE_PENDING')] }), true);
  assert.equal(awaitsDecision({ phase: 'CANDIDATE_PHASE_BLOCKED', gates: [{ kind: 'healthy', state: 'GATE_STATE_FAILED' }, approval('GATE_STATE_PENDING')] }), true);
  assert.equal(awaitsDecision({ phase: 'CANDIDATE_PHASE_WAITING', gates: [approval('GATE_STATE_PASSED')] }), false);
  assert.equal(awaitsDecision({ phase: 'CANDIDATE_PHASE_WAITING', gates: [{ kind: 'healthy', state: 'GATE_STATE_PENDING' }] }), false);
  assert.equal(awaitsDecision({ phase: 'CANDIDATE_PHASE_PROMOTED', gates: [approval('GATE_STATE_PASSED')] }), false);
  assert.equal(awaitsDecision(undefined), false);
  assert.equal(revisionLabel({ tag: 'v1.0.1', revision: 'abcdef0123' }), 'v1.0.1');
  assert.equal(revisionLabel({ revision: 'abcdef0123' }), 'abcdef0');
});

test('the windowed list renders the rows in view plus a margin, and spacers for the rest', () => {
  // 1000 rows of 40 px, a 400 px viewport (10 rows), 5 rows of margin each side.
  assert.deepEqual(rowWindow(1000, 200, 400, 40, 5), { first: 0, count: 20, below: 980 }); // list starts below the top
  assert.deepEqual(rowWindow(1000, -4000, 400, 40, 5), { first: 95, count: 20, below: 885 }); // scrolled 100 rows down
  assert.deepEqual(rowWindow(1000, -40_000, 400, 40, 5), { first: 980, count: 20, below: 0 }); // the end
  assert.deepEqual(rowWindow(1000, -90_000, 400, 40, 5), { first: 980, count: 20, below: 0 }); // past it (a shrunk list)
  assert.deepEqual(rowWindow(7, -4000, 400, 40, 5), { first: 0, count: 7, below: 0 }); // fewer rows than the window
});
