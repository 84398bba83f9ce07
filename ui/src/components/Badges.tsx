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
