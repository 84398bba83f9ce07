// Pure view logic (no DOM): status names, filters, counts, grouping. Kept apart so it can be unit-tested.
import type { Application, Candidate, ResourceNode, ResourceStatus, UserInfo } from './api';

export type Sync = 'Synced' | 'OutOfSync' | 'Unknown';
export type Health = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';

/** "SYNC_STATUS_OUT_OF_SYNC" → "OutOfSync"; also accepts a name already in that form. */
export function enumName(value: string | undefined, prefix: string): string {
  if (!value) return 'Unknown';
  if (!value.startsWith(prefix)) return value;
  return value.slice(prefix.length).toLowerCase().split('_').map(w => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

export const syncOf = (value: string | undefined) => enumName(value, 'SYNC_STATUS_') as Sync;
export const healthOf = (value: string | undefined) => enumName(value, 'HEALTH_STATUS_') as Health;
export const phaseOf = (value: string | undefined) => enumName(value, 'OPERATION_PHASE_');

export const SYNC_VALUES: Sync[] = ['Synced', 'OutOfSync', 'Unknown'];
export const HEALTH_VALUES: Health[] = ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'];

export interface Filter {
  text: string;
  sync: Sync | '';
  health: Health | '';
  paused: '' | 'paused' | 'active';
}

export const emptyFilter: Filter = { text: '', sync: '', health: '', paused: '' };

/** Text matches the name, the repository, the path or the namespace (case-insensitive). */
export function matches(app: Application, filter: Filter): boolean {
  if (filter.sync && syncOf(app.syncStatus) !== filter.sync) return false;
  if (filter.health && healthOf(app.healthStatus) !== filter.health) return false;
  if (filter.paused === 'paused' && !app.paused) return false;
  if (filter.paused === 'active' && app.paused) return false;
  const text = filter.text.trim().toLowerCase();
  if (!text) return true;
  return [app.name, app.source?.repoUrl, app.source?.path, app.destination?.namespace, app.revision?.sha]
    .some(field => field?.toLowerCase().includes(text));
}

export interface Counts {
  total: number;
  sync: Record<Sync, number>;
  health: Record<Health, number>;
  paused: number;
}

export function count(apps: Iterable<Application>): Counts {
  const counts: Counts = {
    total: 0,
    sync: { Synced: 0, OutOfSync: 0, Unknown: 0 },
    health: { Healthy: 0, Progressing: 0, Degraded: 0, Suspended: 0, Missing: 0, Unknown: 0 },
    paused: 0,
  };
  for (const app of apps) {
    counts.total++;
    counts.sync[syncOf(app.syncStatus)] = (counts.sync[syncOf(app.syncStatus)] ?? 0) + 1;
    counts.health[healthOf(app.healthStatus)] = (counts.health[healthOf(app.healthStatus)] ?? 0) + 1;
    if (app.paused) counts.paused++;
  }
  return counts;
}

export interface TreeRow { node: ResourceNode; depth: number }

const byKindThenName = (a: ResourceNode, b: ResourceNode) =>
  (a.kind ?? '').localeCompare(b.kind ?? '') || (a.namespace ?? '').localeCompare(b.namespace ?? '') || (a.name ?? '').localeCompare(b.name ?? '');

/** The resource tree as rows in display order: each of the app's objects, then what it owns, indented below it. */
export function flattenTree(nodes: ResourceNode[]): TreeRow[] {
  const keys = new Set(nodes.map(n => n.key));
  const children = new Map<string, ResourceNode[]>();
  const roots: ResourceNode[] = [];
  for (const n of nodes) {
    if (n.parentKey && keys.has(n.parentKey) && n.parentKey !== n.key) {
      const list = children.get(n.parentKey) ?? [];
      list.push(n);
      children.set(n.parentKey, list);
    } else {
      roots.push(n);
    }
  }
  const rows: TreeRow[] = [];
  const seen = new Set<string>();
  const visit = (n: ResourceNode, depth: number) => {
    if (seen.has(n.key)) return;
    seen.add(n.key);
    rows.push({ node: n, depth });
    for (const c of (children.get(n.key) ?? []).sort(byKindThenName)) visit(c, depth + 1);
  };
  for (const r of roots.sort(byKindThenName)) visit(r, 0);
  return rows;
}

/** Tree nodes from the app's status alone (no owner relations), while the tree is loading or if it fails. */
export function statusNodes(resources: ResourceStatus[]): ResourceNode[] {
  return resources.map(r => ({ ...r, key: resourceKey(r), tracked: true }));
}

export function shortSha(sha: string | undefined): string {
  return sha ? sha.slice(0, 7) : '';
}

/** "3 min ago" style, from an RFC 3339 timestamp; empty when absent. */
export function ago(timestamp: string | undefined, now: number = Date.now()): string {
  if (!timestamp) return '';
  const then = Date.parse(timestamp);
  if (Number.isNaN(then)) return '';
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} d ago`;
}

export function resourceKey(r: { group?: string; kind?: string; namespace?: string; name?: string }): string {
  return `${r.group ?? ''}/${r.kind ?? ''}/${r.namespace ?? ''}/${r.name ?? ''}`;
}

export interface DesiredObject { kind: string; namespace: string; name: string; yaml: string | null }

/**
 * Splits the Manifests YAML (the controller's own writer: `---` between documents, top-level keys at column 0,
 * two-space indentation) into objects. A Secret's YAML is dropped here: its values are never shown.
 */
export function splitManifests(yaml: string): DesiredObject[] {
  return yaml.split(/^---$/m).map(doc => doc.replace(/^\n+/, '')).filter(doc => doc.trim()).map(doc => {
    const kind = scalar(doc.match(/^kind:[ \t]*(.*)$/m)?.[1]);
    const metadata = doc.match(/^metadata:[ \t]*\n((?:(?: {2}.*)?\n)*)/m)?.[1] ?? '';
    const name = scalar(metadata.match(/^ {2}name:[ \t]*(.*)$/m)?.[1]);
    const namespace = scalar(metadata.match(/^ {2}namespace:[ \t]*(.*)$/m)?.[1]);
    return { kind, namespace, name, yaml: kind === 'Secret' ? null : doc };
  });
}

function scalar(value: string | undefined): string {
  const v = (value ?? '').trim();
  return (v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")) ? v.slice(1, -1) : v;
}

/** The desired object for a resource row: same kind and name, and the namespace when the manifest names one. */
export function findDesired(objects: DesiredObject[], r: ResourceStatus): DesiredObject | undefined {
  return objects.find(o => o.kind === r.kind && o.name === r.name && (!o.namespace || o.namespace === r.namespace));
}

export const candidatePhaseOf = (value: string | undefined) => enumName(value, 'CANDIDATE_PHASE_');
export const gateStateOf = (value: string | undefined) => enumName(value, 'GATE_STATE_');

/** As the server decides (TokenAuth's CanApprove): admins approve every pipeline, approvers the ones they are given. */
export function mayApprove(user: UserInfo, pipeline: string): boolean {
  if (user.role === 'ROLE_ADMIN') return true;
  return user.role === 'ROLE_APPROVER' && (!!user.allPipelines || (user.pipelines ?? []).includes(pipeline));
}

/** A candidate a person can decide on: still open (waiting or blocked) and gated by an approval not given yet. */
export function awaitsDecision(candidate: Candidate | undefined): boolean {
  if (!candidate) return false;
  const phase = candidatePhaseOf(candidate.phase);
  return (phase === 'Waiting' || phase === 'Blocked')
    && (candidate.gates ?? []).some(g => g.kind === 'approval' && gateStateOf(g.state) !== 'Passed');
}

/** How a candidate is named to people: its tag, else its short revision. */
export function revisionLabel(r: { tag?: string; revision?: string } | undefined): string {
  return r?.tag || shortSha(r?.revision);
}

export interface RowWindow { first: number; count: number; below: number }

/**
 * Which rows of a windowed list to render: those in the viewport plus `overscan` on each side. `top` is where the
 * list's first row would be, relative to the viewport's top (negative once scrolled past).
 */
export function rowWindow(total: number, top: number, viewport: number, rowHeight: number, overscan: number): RowWindow {
  const wanted = Math.ceil(viewport / rowHeight) + 2 * overscan;
  const first = Math.min(Math.max(0, Math.floor(-top / rowHeight) - overscan), Math.max(0, total - wanted));
  const count = Math.min(wanted, total - first);
  return { first, count, below: total - first - count };
}
