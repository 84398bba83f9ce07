import { healthOf, syncOf } from '../model';

export function SyncBadge({ value }: { value?: string }) {
  const sync = syncOf(value);
  return <span class={`badge sync-${sync}`} data-testid="sync">{sync === 'OutOfSync' ? 'OutOfSync' : sync}</span>;
}

export function HealthBadge({ value }: { value?: string }) {
  const health = healthOf(value);
  return <span class={`badge health-${health}`} data-testid="health">{health}</span>;
}

export function PausedBadge({ paused }: { paused?: boolean }) {
  return paused ? <span class="badge paused" data-testid="paused">Paused</span> : null;
}

/** Whether the view's Watch stream is connected (its updates arrive live) or being opened again. */
export function LiveBadge({ connected }: { connected: boolean }) {
  return (
    <span class={`live ${connected ? 'on' : 'off'}`} data-testid="live" title="Live updates from the Watch stream">
      {connected ? 'live' : 'reconnecting…'}
    </span>
  );
}
