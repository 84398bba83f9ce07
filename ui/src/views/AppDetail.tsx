import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Application, DiffResponse, HistoryEntry, ResourceNode } from '../api';
import { HealthBadge, PausedBadge, SyncBadge } from '../components/Badges';
import { Confirm } from '../components/Confirm';
import { ago, findDesired, flattenTree, phaseOf, resourceKey, shortSha, splitManifests, statusNodes, type DesiredObject } from '../model';
import { href } from '../router';
import type { Session } from '../session';

const TABS = [['summary', 'Summary'], ['resources', 'Resources'], ['diff', 'Diff'], ['history', 'History']] as const;

type Pending =
  | { kind: 'sync' }
  | { kind: 'pause' }
  | { kind: 'rollback'; entry: HistoryEntry };

/** One application, kept current by a Watch stream on it; actions are offered only to a token that may run them. */
export function AppDetail({ session, name, tab }: { session: Session; name: string; tab: string }) {
  const [app, setApp] = useState<Application | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [prune, setPrune] = useState(false);

  useEffect(() => {
    session.api.get(name).then(setApp, e => setError(message(e)));
    return session.api.watch(name, setApp, () => undefined);
  }, [session, name]);

  const run = useCallback(async (label: string, action: () => Promise<string | void>) => {
    setBusy(label);
    setError(null);
    setNotice(null);
    try {
      const done = await action();
      if (done) setNotice(done);
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(null);
    }
  }, []);

  if (!app) {
    return <main class="page">{error ? <p class="error" role="alert">{error}</p> : <p class="muted">Loading…</p>}</main>;
  }

  const confirm = () => {
    const p = pending;
    setPending(null);
    if (!p) return;
    if (p.kind === 'sync') {
      void run('Syncing', async () => {
        const r = await session.api.sync(name, prune);
        if (r.application) setApp(r.application);
        return `Sync ${phaseOf(r.operation?.phase).toLowerCase()}${r.operation?.message ? ': ' + r.operation.message : ''}`;
      });
    } else if (p.kind === 'pause') {
      void run('Pausing', async () => { setApp(await session.api.pause(name)); return 'Paused: changes in git are not applied until resumed.'; });
    } else {
      void run('Rolling back', async () => {
        const r = await session.api.rollback(name, p.entry.id ?? '0');
        if (r.application) setApp(r.application);
        return `Rolled back: revert commit ${shortSha(r.revertCommit)} pushed (reverts ${(r.revertedCommits ?? []).map(shortSha).join(', ')}).`;
      });
    }
  };

  return (
    <main class="page">
      <nav class="crumbs"><a href="#/">Applications</a> / <span>{app.name}</span></nav>
      <div class="toolbar">
        <h1 data-testid="app-title">{app.name}</h1>
        <SyncBadge value={app.syncStatus} />
        <HealthBadge value={app.healthStatus} />
        <PausedBadge paused={app.paused} />
        <span class="spacer" />
        {session.canOperate && (
          <div class="actions" data-testid="actions">
            <button type="button" disabled={!!busy} data-testid="action-refresh"
              onClick={() => run('Refreshing', async () => { setApp(await session.api.refresh(name)); return 'Refreshed.'; })}>Refresh</button>
            <button type="button" class="primary" disabled={!!busy} data-testid="action-sync" onClick={() => setPending({ kind: 'sync' })}>Sync</button>
            {app.paused
              ? <button type="button" disabled={!!busy} data-testid="action-resume"
                  onClick={() => run('Resuming', async () => { setApp(await session.api.resume(name)); return 'Resumed.'; })}>Resume</button>
              : <button type="button" disabled={!!busy} data-testid="action-pause" onClick={() => setPending({ kind: 'pause' })}>Pause</button>}
          </div>
        )}
      </div>
      {busy && <p class="muted" data-testid="busy">{busy}…</p>}
      {error && <p class="error" role="alert" data-testid="error">{error}</p>}
      {notice && <p class="notice" role="status" data-testid="notice">{notice}</p>}
      <nav class="tabs">
        {TABS.map(([id, label]) => (
          <a key={id} href={href({ view: 'app', name, tab: id })} class={tab === id ? 'active' : ''} data-testid={`tab-${id}`}>{label}</a>
        ))}
      </nav>
      {tab === 'resources' ? <Resources session={session} app={app} />
        : tab === 'diff' ? <Diff session={session} app={app} />
        : tab === 'history' ? <History session={session} app={app} onRollback={entry => setPending({ kind: 'rollback', entry })} />
        : <Summary app={app} />}
      {pending?.kind === 'sync' && (
        <Confirm title={`Sync ${app.name}?`} confirmLabel="Sync" onConfirm={confirm} onCancel={() => setPending(null)}>
          <p>Applies the manifests of <span class="mono">{app.source?.targetRevision}</span> to namespace <b>{app.destination?.namespace}</b>.</p>
          <label class="check"><input type="checkbox" checked={prune} data-testid="sync-prune"
            onChange={e => setPrune((e.target as HTMLInputElement).checked)} /> Prune: delete tracked objects that git no longer has</label>
        </Confirm>
      )}
      {pending?.kind === 'pause' && (
        <Confirm title={`Pause ${app.name}?`} confirmLabel="Pause" onConfirm={confirm} onCancel={() => setPending(null)}>
          <p>While paused, new commits and drift are only reported, never applied.</p>
        </Confirm>
      )}
      {pending?.kind === 'rollback' && (
        <Confirm title={`Roll back ${app.name}?`} confirmLabel="Roll back" danger onConfirm={confirm} onCancel={() => setPending(null)}>
          <p>Pushes a commit to git that reverts the commits after <span class="mono">{shortSha(pending.entry.revision?.sha)}</span>
            {pending.entry.revision?.subject ? <> (“{pending.entry.revision.subject}”)</> : null}; the controller then syncs it.</p>
        </Confirm>
      )}
    </main>
  );
}

function Summary({ app }: { app: Application }) {
  const op = app.operation;
  return (
    <div class="grid">
      <section class="card">
        <h2>Source</h2>
        <dl>
          <dt>Repository</dt><dd class="mono" data-testid="repo">{app.source?.repoUrl}</dd>
          <dt>Revision</dt><dd class="mono">{app.source?.targetRevision}</dd>
          <dt>Path</dt><dd class="mono">{app.source?.path || '.'}</dd>
          <dt>Commit</dt><dd><span class="mono" data-testid="commit">{shortSha(app.revision?.sha)}</span> {app.revision?.subject}
            {app.revision?.author ? <span class="muted"> — {app.revision.author}</span> : null}</dd>
        </dl>
      </section>
      <section class="card">
        <h2>Destination and policy</h2>
        <dl>
          <dt>Namespace</dt><dd class="mono">{app.destination?.namespace}</dd>
          <dt>Auto-sync</dt><dd>{app.autoSync ? `on${app.prune ? ', prune' : ''}${app.selfHeal ? ', self-heal' : ''}` : 'off'}</dd>
          <dt>Last sync</dt><dd title={app.lastSyncedAt ?? ''}>{ago(app.lastSyncedAt) || 'never'}</dd>
          <dt>Last compared</dt><dd title={app.reconciledAt ?? ''}>{ago(app.reconciledAt) || 'never'}</dd>
        </dl>
      </section>
      <section class="card wide">
        <h2>Conditions</h2>
        {(app.conditions ?? []).length === 0 ? <p class="muted">None.</p> : (
          <ul class="conditions" data-testid="conditions">
            {app.conditions!.map((c, i) => (
              <li key={i}><b>{c.type}</b> <span class="muted">{ago(c.lastTransitionTime)}</span>
                <pre class="message" data-testid="condition-message">{c.message}</pre></li>
            ))}
          </ul>
        )}
      </section>
      {op && (
        <section class="card wide" data-testid="operation">
          <h2>Last operation: <span data-testid="operation-phase">{phaseOf(op.phase)}</span></h2>
          <p>{op.message} <span class="muted">by {op.initiatedBy} {ago(op.finishedAt ?? op.startedAt)}</span></p>
          {(op.results ?? []).length > 0 && (
            <table class="results">
              <thead><tr><th>Kind</th><th>Namespace</th><th>Name</th><th>Result</th><th>Message</th></tr></thead>
              <tbody>{op.results!.map((r, i) => (
                <tr key={i}><td>{r.kind}</td><td>{r.namespace}</td><td>{r.name}</td><td>{r.result}</td><td>{r.message}</td></tr>
              ))}</tbody>
            </table>
          )}
        </section>
      )}
    </div>
  );
}

type Opened = { key: string; view: 'live' | 'desired' };

function Resources({ session, app }: { session: Session; app: Application }) {
  const [open, setOpen] = useState<Opened | null>(null);
  const [desired, setDesired] = useState<DesiredObject[] | null>(null);
  const [live, setLive] = useState<{ key: string; yaml?: string; error?: string } | null>(null);
  const [tree, setTree] = useState<ResourceNode[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const sha = app.revision?.sha;
  // The tree comes from its own Watch stream: sent again whenever the app's objects, its status or a Pod it owns change.
  useEffect(() => session.api.watchResourceTree(app.name, t => setTree(t.nodes ?? [])), [session, app.name]);
  const version = `${sha}|${app.reconciledAt}|${app.lastSyncedAt}`;
  // The desired YAML is rendered by the server for the app's revision, fetched once a row asks for it.
  useEffect(() => { setDesired(null); }, [sha]);
  useEffect(() => {
    if (open?.view !== 'desired' || desired !== null) return;
    let current = true;
    session.api.manifests(app.name).then(m => current && setDesired(splitManifests(m.yaml ?? '')), e => current && setError(message(e)));
    return () => { current = false; };
  }, [session, app.name, open, desired]);
  // The live YAML is read when opened (and again when the app's state moves while it is open).
  useEffect(() => {
    if (open?.view !== 'live') return;
    let current = true;
    const key = open.key;
    session.api.liveObject(app.name, key).then(r => current && setLive({ key, yaml: r.yaml ?? '' }), e => current && setLive({ key, error: message(e) }));
    return () => { current = false; };
  }, [session, app.name, open, version]);
  const toggle = (key: string, view: Opened['view']) => setOpen(open?.key === key && open.view === view ? null : { key, view });
  const rows = flattenTree(tree ?? statusNodes(app.resources ?? []));
  if (rows.length === 0) return <p class="muted">No resources.</p>;
  return (
    <div data-testid="resources">
      {error && <p class="error" role="alert">{error}</p>}
      <table class="resources tree" data-testid="tree">
        <thead><tr><th>Kind</th><th>Name</th><th>Namespace</th><th>Sync</th><th>Health</th><th>Message</th><th /></tr></thead>
        <tbody>{rows.flatMap(({ node: r, depth }) => {
          const key = r.key;
          const opened = open?.key === key ? open.view : null;
          const cells = [
            <tr key={key} data-testid="resource" data-kind={r.kind} data-name={r.name} data-depth={depth} class={r.tracked ? 'tracked' : 'owned'}>
              <td class={`kind depth-${Math.min(depth, 4)}`}>{depth > 0 ? <span class="branch">└</span> : null}{r.kind}</td>
              <td class="mono">{r.name}</td>
              <td>{r.namespace}</td>
              <td>{r.tracked ? <SyncBadge value={r.status} /> : null}</td>
              <td><HealthBadge value={r.health} /></td>
              <td class="message">{r.message}</td>
              <td class="row-actions">
                <button type="button" class="small" data-testid="show-live" aria-pressed={opened === 'live'} onClick={() => toggle(key, 'live')}>Live</button>
                {r.tracked && <button type="button" class="small" data-testid="show-yaml" aria-pressed={opened === 'desired'}
                  onClick={() => toggle(key, 'desired')}>Desired</button>}
              </td>
            </tr>,
          ];
          if (opened === 'desired') {
            const object = desired && findDesired(desired, r);
            cells.push(
              <tr key={key + '#desired'}><td colSpan={7}>
                {!desired ? <p class="muted">Rendering…</p>
                  : !object ? <p class="muted">Not in git (extraneous).</p>
                  : object.yaml === null ? <p class="muted" data-testid="secret-hidden">A Secret: its values are not shown.</p>
                  : <pre class="yaml" data-testid="yaml">{object.yaml}</pre>}
              </td></tr>,
            );
          } else if (opened === 'live') {
            cells.push(
              <tr key={key + '#live'}><td colSpan={7}>
                {live?.key !== key ? <p class="muted">Reading…</p>
                  : live.error ? <p class="error">{live.error}</p>
                  : <pre class="yaml" data-testid="live-yaml">{live.yaml}</pre>}
              </td></tr>,
            );
          }
          return cells;
        })}</tbody>
      </table>
    </div>
  );
}

function Diff({ session, app }: { session: Session; app: Application }) {
  const [diff, setDiff] = useState<DiffResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Recomputed when the app's compared state moves (a new revision, a sync, drift).
  const version = `${app.revision?.sha}|${app.syncStatus}|${app.reconciledAt}`;
  useEffect(() => {
    let live = true;
    session.api.diff(app.name).then(d => live && (setDiff(d), setError(null)), e => live && setError(message(e)));
    return () => { live = false; };
  }, [session, app.name, version]);
  if (error) return <p class="error" role="alert">{error}</p>;
  if (!diff) return <p class="muted">Computing the diff…</p>;
  const changed = (diff.resources ?? []).filter(r => r.unifiedDiff);
  return (
    <div data-testid="diff">
      <p>{diff.hasDifferences ? `${changed.length} object(s) differ from git` : 'The cluster matches git.'}
        <span class="muted"> at {shortSha(diff.revision?.sha)}</span></p>
      {changed.map(r => (
        <section key={resourceKey(r)} class="card">
          <h2>{r.kind} <span class="mono">{r.namespace ? `${r.namespace}/` : ''}{r.name}</span> <SyncBadge value={r.status} /></h2>
          <pre class="diff">{r.unifiedDiff!.split('\n').map((line, i) => (
            <span key={i} class={line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('@@') ? 'hunk' : ''}>{line}</span>
          ))}</pre>
        </section>
      ))}
    </div>
  );
}

function History({ session, app, onRollback }: { session: Session; app: Application; onRollback: (entry: HistoryEntry) => void }) {
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const version = `${app.lastSyncedAt}|${app.operation?.finishedAt}|${app.revision?.sha}`;
  useEffect(() => {
    let live = true;
    session.api.history(app.name).then(h => live && setEntries([...(h.entries ?? [])].reverse()), e => live && setError(message(e)));
    return () => { live = false; };
  }, [session, app.name, version]);
  if (error) return <p class="error" role="alert">{error}</p>;
  if (!entries) return <p class="muted">Loading…</p>;
  if (entries.length === 0) return <p class="muted">No syncs yet.</p>;
  return (
    <table class="history" data-testid="history">
      <thead><tr><th>#</th><th>Commit</th><th>Result</th><th>By</th><th>Finished</th><th>Message</th>{session.canOperate && <th />}</tr></thead>
      <tbody>{entries.map(e => (
        <tr key={e.id} data-testid="history-entry" data-sha={e.revision?.sha}>
          <td>{e.id}</td>
          <td><span class="mono">{shortSha(e.revision?.sha)}</span> {e.revision?.subject}</td>
          <td><span class={`badge result-${e.result}`}>{e.result}</span></td>
          <td>{e.initiatedBy}</td>
          <td title={e.finishedAt ?? ''}>{ago(e.finishedAt)}</td>
          <td class="message">{e.message}</td>
          {session.canOperate && (
            <td>{e.result === 'Succeeded' && e.revision?.sha !== app.revision?.sha && (
              <button type="button" class="danger small" data-testid="rollback" onClick={() => onRollback(e)}>Roll back to this</button>
            )}</td>
          )}
        </tr>
      ))}</tbody>
    </table>
  );
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
