import { Fragment } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Candidate, Gate, Pipeline, Stage } from '../api';
import { HealthBadge, LiveBadge, SyncBadge } from '../components/Badges';
import { Confirm } from '../components/Confirm';
import { ago, awaitsDecision, candidatePhaseOf, gateStateOf, revisionLabel, shortSha } from '../model';
import { href } from '../router';
import type { Session } from '../session';

type Decision = { pipeline: string; stage: Stage; candidate: Candidate; decision: 'approve' | 'reject' };

/** Every pipeline the token may see, stages left to right, kept current by the pipelines' Watch stream. */
export function Pipelines({ session }: { session: Session }) {
  const [pipelines, setPipelines] = useState<Map<string, Pipeline>>(new Map());
  const [loaded, setLoaded] = useState(false);
  const [connected, setConnected] = useState(false);
  const [pending, setPending] = useState<Decision | null>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const upsert = useRef((p: Pipeline) => setPipelines(previous => new Map(previous).set(p.name, p)));

  useEffect(() => {
    const stop = session.api.watchPipelines(p => { upsert.current(p); setLoaded(true); }, setConnected);
    // The stream sends every pipeline first; none at all sends nothing, so List tells "none" apart from "not yet".
    session.api.pipelines().then(r => {
      setPipelines(previous => {
        const next = new Map(previous);
        for (const p of r.pipelines ?? []) if (!next.has(p.name)) next.set(p.name, p);
        return next;
      });
      setLoaded(true);
    }, e => setError(e instanceof Error ? e.message : String(e)));
    return stop;
  }, [session]);

  const all = useMemo(() => [...pipelines.values()].sort((a, b) => a.name.localeCompare(b.name)), [pipelines]);

  const decide = async () => {
    const d = pending;
    setPending(null);
    if (!d) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const revision = d.candidate.revision || d.candidate.tag || '';
      const updated = await session.api.decide(d.pipeline, d.decision, d.stage.name, revision, comment);
      upsert.current(updated);
      setNotice(`${d.decision === 'approve' ? 'Approved' : 'Rejected'} ${revisionLabel(d.candidate)} for ${d.stage.name}.`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
      setComment('');
    }
  };

  return (
    <main class="page">
      <div class="toolbar">
        <h1>Pipelines</h1>
        <LiveBadge connected={connected} />
      </div>
      {busy && <p class="muted" data-testid="busy">Sending…</p>}
      {error && <p class="error" role="alert" data-testid="error">{error}</p>}
      {notice && <p class="notice" role="status" data-testid="notice">{notice}</p>}
      {!loaded ? <p class="muted">Loading…</p> : all.length === 0 ? <p class="muted">No pipelines.</p> : all.map(p => (
        <section key={p.name} class="card pipeline" data-testid="pipeline" data-pipeline={p.name}>
          <h2>{p.name} <span class="muted small">evaluated {ago(p.evaluatedAt) || 'never'}</span></h2>
          {p.error && <pre class="message" data-testid="pipeline-error">{p.error}</pre>}
          <div class="stages">
            {(p.stages ?? []).map((stage, i) => (
              <Fragment key={stage.name}>
                {i > 0 && <span class="arrow" aria-hidden="true">→</span>}
                <StageCard stage={stage} first={i === 0}
                  canDecide={!busy && session.canApprove(p.name) && awaitsDecision(stage.candidate)}
                  onDecide={decision => setPending({ pipeline: p.name, stage, candidate: stage.candidate!, decision })} />
              </Fragment>
            ))}
          </div>
        </section>
      ))}
      {pending && (
        <Confirm title={`${pending.decision === 'approve' ? 'Approve' : 'Reject'} ${revisionLabel(pending.candidate)} for ${pending.stage.name}?`}
          confirmLabel={pending.decision === 'approve' ? 'Approve' : 'Reject'} danger={pending.decision === 'reject'}
          onConfirm={() => void decide()} onCancel={() => setPending(null)}>
          <p>{pending.decision === 'approve'
            ? <>Pipeline <b>{pending.pipeline}</b> promotes <span class="mono">{revisionLabel(pending.candidate)}</span> into stage <b>{pending.stage.name}</b> once every gate has passed: a commit on its branch, signed with your name.</>
            : <>Pipeline <b>{pending.pipeline}</b> will not promote <span class="mono">{revisionLabel(pending.candidate)}</span> into stage <b>{pending.stage.name}</b>.</>}</p>
          {pending.candidate.subject && <p class="muted">“{pending.candidate.subject}”</p>}
          <label class="field">Comment (optional)
            <input type="text" value={comment} data-testid="decision-comment" onInput={e => setComment((e.target as HTMLInputElement).value)} />
          </label>
        </Confirm>
      )}
    </main>
  );
}

function StageCard({ stage, first, canDecide, onDecide }: {
  stage: Stage; first: boolean; canDecide: boolean; onDecide: (decision: 'approve' | 'reject') => void;
}) {
  const current = stage.current;
  const candidate = stage.candidate;
  return (
    <article class="stage" data-testid="stage" data-stage={stage.name}>
      <header>
        <h3>{stage.name}</h3>
        {stage.application && <a href={href({ view: 'app', name: stage.application, tab: 'summary' })} class="mono small">{stage.application}</a>}
        <div class="muted small">{first ? <>follows <span class="mono">{stage.source}</span></> : <>branch <span class="mono">{stage.branch}</span>{stage.autoPromote ? '' : ' · manual promotion'}</>}</div>
      </header>
      <div class="current" data-testid="current">
        <span class="label">Running</span>
        {current?.commit
          ? <><span class="mono" data-testid="current-revision">{revisionLabel(current)}</span> <span class="muted mono">{shortSha(current.commit)}</span>
            <div><SyncBadge value={current.syncStatus} /><HealthBadge value={current.healthStatus} /></div></>
          : <span class="muted">nothing yet</span>}
      </div>
      {candidate && <CandidateView candidate={candidate} />}
      {canDecide && (
        <div class="actions" data-testid="decision-actions">
          <button type="button" class="danger small" data-testid="reject" onClick={() => onDecide('reject')}>Reject</button>
          <button type="button" class="primary small" data-testid="approve" onClick={() => onDecide('approve')}>Approve</button>
        </div>
      )}
    </article>
  );
}

function CandidateView({ candidate }: { candidate: Candidate }) {
  const phase = candidatePhaseOf(candidate.phase);
  return (
    <div class="candidate" data-testid="candidate" data-phase={phase}>
      <div>
        <span class="label">Candidate</span>
        <span class="mono" data-testid="candidate-revision">{revisionLabel(candidate)}</span>{' '}
        <span class={`badge phase-${phase}`} data-testid="candidate-phase">{phase}</span>
        <span class="muted small"> {ago(candidate.since)}</span>
      </div>
      {candidate.subject && <div class="subject" data-testid="candidate-subject">{candidate.subject}</div>}
      {candidate.message && <div class="muted small message" data-testid="candidate-message">{candidate.message}</div>}
      {(candidate.gates ?? []).length > 0 && (
        <ul class="gates">{candidate.gates!.map((g, i) => <GateView key={i} gate={g} />)}</ul>
      )}
      {(candidate.approvals ?? []).length > 0 && (
        <ul class="approvals">{candidate.approvals!.map((a, i) => (
          <li key={i} data-testid="approval">
            <b>{a.decision}</b> by <span data-testid="approval-by">{a.by}</span>{' '}
            <span class="muted" title={a.at ?? ''}>{ago(a.at)}</span>
            {a.comment && <span class="message" data-testid="approval-comment">: {a.comment}</span>}
          </li>
        ))}</ul>
      )}
      {candidate.promotedCommit && (
        <div class="small">promoted as <span class="mono">{shortSha(candidate.promotedCommit)}</span> {ago(candidate.promotedAt)}
          {candidate.overriddenBy && <> (gates overridden by {candidate.overriddenBy})</>}</div>
      )}
    </div>
  );
}

function GateView({ gate }: { gate: Gate }) {
  const state = gateStateOf(gate.state);
  return (
    <li class="gate" data-testid="gate" data-gate={gate.kind} data-state={state}>
      <span class={`badge gate-${state}`} data-testid="gate-state">{state}</span> <b>{gate.kind}</b>
      {gate.message && <div class="message" data-testid="gate-message">{gate.message}</div>}
      {(gate.log ?? []).length > 0 && <pre class="log">{gate.log!.join('\n')}</pre>}
    </li>
  );
}
