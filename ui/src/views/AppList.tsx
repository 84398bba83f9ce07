import { memo } from 'preact/compat';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Application } from '../api';
import { HealthBadge, LiveBadge, PausedBadge, SyncBadge } from '../components/Badges';
import { HEALTH_VALUES, SYNC_VALUES, ago, count, emptyFilter, matches, rowWindow, shortSha, type Filter, type Health, type Sync } from '../model';
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
        <LiveBadge connected={connected} />
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
      {!loaded ? <p class="muted">Loading…</p> : shown.length === 0 ? <p class="muted">No applications match.</p> : <AppTable apps={shown} />}
    </main>
  );
}

const COLUMNS = 7;
/** Rows rendered above and below the visible ones, so a scroll of a few rows shows rows already there. */
const OVERSCAN = 10;

/**
 * The table, windowed: only the rows in view (plus a margin) exist in the DOM, between two spacer rows that keep the
 * page as tall as all the rows would make it, so 1000 apps cost what ~40 cost. Rows are one line of fixed height (CSS);
 * the height in use is measured from a rendered row. The page itself scrolls, so the header and filters stay put.
 */
function AppTable({ apps }: { apps: Application[] }) {
  const body = useRef<HTMLTableSectionElement>(null);
  const [rowHeight, setRowHeight] = useState(37);
  const [view, setView] = useState({ top: 0, height: 800 });

  useLayoutEffect(() => {
    let frame = 0;
    const measure = () => {
      frame = 0;
      const element = body.current;
      if (!element) return;
      const row = element.querySelector<HTMLElement>('tr[data-testid=app-row]');
      const height = row?.offsetHeight || rowHeight;
      if (height !== rowHeight) setRowHeight(height);
      // Where the first row (or the spacer above the window) is in the viewport, in whole rows so a scroll within a
      // row does not render again.
      const top = Math.floor(element.getBoundingClientRect().top / height) * height;
      setView(v => (v.top === top && v.height === window.innerHeight ? v : { top, height: window.innerHeight }));
    };
    const schedule = () => { if (!frame) frame = requestAnimationFrame(measure); };
    measure();
    addEventListener('scroll', schedule, { passive: true });
    addEventListener('resize', schedule);
    return () => { removeEventListener('scroll', schedule); removeEventListener('resize', schedule); cancelAnimationFrame(frame); };
  }, [rowHeight, apps.length]);

  const { first, count, below } = rowWindow(apps.length, view.top, view.height, rowHeight, OVERSCAN);
  const visible = apps.slice(first, first + count);
  return (
    <table class="apps" data-testid="apps" data-shown={apps.length} aria-rowcount={apps.length + 1}>
      <thead>
        <tr><th>Name</th><th>Sync</th><th>Health</th><th>Revision</th><th>Source</th><th>Destination</th><th>Last sync</th></tr>
      </thead>
      <tbody ref={body}>
        {first > 0 && <tr class="spacer" aria-hidden="true"><td colSpan={COLUMNS} style={{ height: `${first * rowHeight}px` }} /></tr>}
        {visible.map(app => <Row key={app.name} app={app} />)}
        {below > 0 && <tr class="spacer" aria-hidden="true"><td colSpan={COLUMNS} style={{ height: `${below * rowHeight}px` }} /></tr>}
      </tbody>
    </table>
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
