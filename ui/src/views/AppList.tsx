import { memo } from 'preact/compat';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Application } from '../api';
import { HealthBadge, PausedBadge, SyncBadge } from '../components/Badges';
import { HEALTH_VALUES, SYNC_VALUES, ago, count, emptyFilter, matches, shortSha, type Filter, type Health, type Sync } from '../model';
import { href } from '../router';
import type { Session } from '../session';

/** All applications, kept current by one Watch stream; updates are applied once per animation frame so a
 * burst over many apps costs one render. */
export function AppList({ session }: { session: Session }) {
  const [apps, setApps] = useState<Map<string, Application>>(new Map());
  const [loaded, setLoaded] = useState(false);
  const [connected, setConnected] = useState(false);
  const [filter, setFilter] = useState<Filter>(emptyFilter);
  const pending = useRef(new Map<string, Application>());
  const frame = useRef(0);

  useEffect(() => {
    const flush = () => {
      frame.current = 0;
      const updates = pending.current;
      pending.current = new Map();
      setApps(previous => {
        const next = new Map(previous);
        for (const [name, app] of updates) next.set(name, app);
        return next;
      });
      setLoaded(true);
    };
    const stop = session.api.watch(null, app => {
      pending.current.set(app.name, app);
      if (!frame.current) frame.current = requestAnimationFrame(flush);
    }, setConnected);
    // The stream sends every app first; an empty controller sends nothing, so List tells "none" apart from "not yet".
    session.api.list().then(r => {
      for (const app of r.applications ?? []) if (!pending.current.has(app.name)) pending.current.set(app.name, app);
      if (!frame.current) frame.current = requestAnimationFrame(flush);
    }).catch(() => undefined);
    return () => { stop(); cancelAnimationFrame(frame.current); };
  }, [session]);

  const all = useMemo(() => [...apps.values()].sort((a, b) => a.name.localeCompare(b.name)), [apps]);
  const counts = useMemo(() => count(all), [all]);
  const shown = useMemo(() => all.filter(a => matches(a, filter)), [all, filter]);
  const set = (patch: Partial<Filter>) => setFilter(f => ({ ...f, ...patch }));

  return (
    <main class="page">
      <div class="toolbar">
        <h1>Applications</h1>
        <span class={`live ${connected ? 'on' : 'off'}`} data-testid="live" title="Live updates from the Watch stream">
          {connected ? 'live' : 'reconnecting…'}
        </span>
      </div>
      <section class="counts" data-testid="counts">
        <CountChip label="All" value={counts.total} active={!filter.sync && !filter.health && !filter.paused}
          onClick={() => setFilter(f => ({ ...emptyFilter, text: f.text }))} />
        {SYNC_VALUES.map(s => counts.sync[s] > 0 && (
          <CountChip key={s} label={s} value={counts.sync[s]} kind={`sync-${s}`} active={filter.sync === s}
            onClick={() => set({ sync: filter.sync === s ? '' : s })} />
        ))}
        {HEALTH_VALUES.map(h => counts.health[h] > 0 && (
          <CountChip key={h} label={h} value={counts.health[h]} kind={`health-${h}`} active={filter.health === h}
            onClick={() => set({ health: filter.health === h ? '' : h })} />
        ))}
        {counts.paused > 0 && <CountChip label="Paused" value={counts.paused} kind="paused" active={filter.paused === 'paused'}
          onClick={() => set({ paused: filter.paused === 'paused' ? '' : 'paused' })} />}
      </section>
      <div class="filters">
        <input type="search" placeholder="Search name, repository, path, namespace, revision" value={filter.text}
          data-testid="search" onInput={e => set({ text: (e.target as HTMLInputElement).value })} />
        <select value={filter.sync} data-testid="filter-sync" onChange={e => set({ sync: (e.target as HTMLSelectElement).value as Sync | '' })}>
          <option value="">Any sync</option>
          {SYNC_VALUES.map(s => <option key={s} value={s}>{s}</option>)}
        </select>
        <select value={filter.health} data-testid="filter-health" onChange={e => set({ health: (e.target as HTMLSelectElement).value as Health | '' })}>
          <option value="">Any health</option>
          {HEALTH_VALUES.map(h => <option key={h} value={h}>{h}</option>)}
        </select>
        <select value={filter.paused} data-testid="filter-paused" onChange={e => set({ paused: (e.target as HTMLSelectElement).value as Filter['paused'] })}>
          <option value="">Paused or not</option>
          <option value="paused">Paused</option>
          <option value="active">Not paused</option>
        </select>
      </div>
      {!loaded ? <p class="muted">Loading…</p> : shown.length === 0 ? <p class="muted">No applications match.</p> : (
        <table class="apps" data-testid="apps">
          <thead>
            <tr><th>Name</th><th>Sync</th><th>Health</th><th>Revision</th><th>Source</th><th>Destination</th><th>Last sync</th></tr>
          </thead>
          <tbody>{shown.map(app => <Row key={app.name} app={app} />)}</tbody>
        </table>
      )}
    </main>
  );
}

function CountChip({ label, value, kind, active, onClick }: { label: string; value: number; kind?: string; active: boolean; onClick: () => void }) {
  return (
    <button type="button" class={`chip ${kind ?? ''} ${active ? 'active' : ''}`} onClick={onClick} data-testid={`count-${label}`}>
      <span class="chip-label">{label}</span> <span class="chip-value">{value}</span>
    </button>
  );
}

const Row = memo(function Row({ app }: { app: Application }) {
  return (
    <tr data-testid="app-row" data-app={app.name}>
      <td><a href={href({ view: 'app', name: app.name, tab: 'summary' })} class="app-name">{app.name}</a> <PausedBadge paused={app.paused} /></td>
      <td><SyncBadge value={app.syncStatus} /></td>
      <td><HealthBadge value={app.healthStatus} /></td>
      <td class="mono" data-testid="revision" title={app.revision?.subject ?? ''}>{shortSha(app.revision?.sha)}</td>
      <td class="source" title={app.source?.repoUrl ?? ''}>{app.source?.path || '.'} @ {app.source?.targetRevision}</td>
      <td>{app.destination?.namespace}</td>
      <td class="muted" title={app.lastSyncedAt ?? ''}>{ago(app.lastSyncedAt)}</td>
    </tr>
  );
});
