// The controller's API as the browser sees it: the gRPC contract (proto/gitops/v1) through its JSON mapping
// (gRPC JSON transcoding). Field names are the proto's lowerCamelCase JSON names; enums come as their proto
// names, int64 as strings, and fields at their default value (false, 0, "") are left out.

export interface Revision { sha?: string; subject?: string; author?: string; committedAt?: string }
export interface Source { repoUrl?: string; targetRevision?: string; path?: string }
export interface ResourceStatus {
  group?: string; version?: string; kind?: string; namespace?: string; name?: string;
  status?: string; health?: string; message?: string; missing?: boolean; extraneous?: boolean;
}
export interface Condition { type?: string; message?: string; lastTransitionTime?: string }
export interface ResourceResult { group?: string; kind?: string; namespace?: string; name?: string; result?: string; message?: string }
export interface Operation {
  phase?: string; message?: string; initiatedBy?: string; startedAt?: string; finishedAt?: string; results?: ResourceResult[];
}
export interface HistoryEntry {
  id?: string; revision?: Revision; startedAt?: string; finishedAt?: string; result?: string; initiatedBy?: string; message?: string;
}
export interface Application {
  name: string; source?: Source; destination?: { namespace?: string };
  syncStatus?: string; healthStatus?: string; revision?: Revision; paused?: boolean;
  resources?: ResourceStatus[]; conditions?: Condition[]; operation?: Operation;
  lastSyncedAt?: string; reconciledAt?: string; history?: HistoryEntry[];
  autoSync?: boolean; prune?: boolean; selfHeal?: boolean;
}
export interface ResourceDiff {
  group?: string; kind?: string; namespace?: string; name?: string; status?: string; unifiedDiff?: string; jsonPatch?: string;
}
export interface DiffResponse { resources?: ResourceDiff[]; hasDifferences?: boolean; revision?: Revision }
export interface SyncResponse { operation?: Operation; application?: Application }
export interface RollbackResponse { revertCommit?: string; revertedCommits?: string[]; application?: Application }
export interface ResourceNode {
  key: string; group?: string; version?: string; kind?: string; namespace?: string; name?: string;
  parentKey?: string; tracked?: boolean; status?: string; health?: string; message?: string;
}
export interface UserInfo {
  subject?: string; role?: string; apps?: string[]; allApps?: boolean; authEnabled?: boolean;
  pipelines?: string[]; allPipelines?: boolean;
}
export interface StageRevision { commit?: string; revision?: string; tag?: string; syncStatus?: string; healthStatus?: string }
export interface Gate { kind?: string; state?: string; message?: string; log?: string[] }
export interface Approval { by?: string; at?: string; decision?: string; comment?: string }
export interface Candidate {
  revision?: string; sourceCommit?: string; tag?: string; subject?: string; phase?: string; message?: string;
  gates?: Gate[]; approvals?: Approval[]; since?: string; promotedCommit?: string; promotedAt?: string;
  overriddenBy?: string; verificationJob?: string;
}
export interface Stage {
  name: string; application?: string; branch?: string; autoPromote?: boolean; current?: StageRevision;
  candidate?: Candidate; past?: Candidate[]; source?: string;
}
export interface Pipeline { name: string; stages?: Stage[]; error?: string; evaluatedAt?: string }

/** An error the API returned: the HTTP status and the gRPC status message, shown to the user as is. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Calls the API with the tab's bearer token (a header, never the URL). */
export class ApiClient {
  constructor(private readonly token: string | null, private readonly onUnauthenticated: () => void) {}

  private headers(json: boolean): HeadersInit {
    const h: Record<string, string> = { Accept: 'application/json' };
    if (json) h['Content-Type'] = 'application/json';
    if (this.token) h.Authorization = `Bearer ${this.token}`;
    return h;
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const response = await fetch(path, {
      method,
      headers: this.headers(body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      cache: 'no-store',
      credentials: 'omit',
    });
    if (!response.ok) throw await this.error(response);
    return (await response.json()) as T;
  }

  private async error(response: Response): Promise<ApiError> {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = (await response.json()) as { message?: string };
      if (body.message) message = body.message;
    } catch {
      // not JSON: keep the HTTP status line
    }
    if (response.status === 401) this.onUnauthenticated();
    return new ApiError(response.status, message);
  }

  userInfo(): Promise<UserInfo> { return this.call('GET', '/api/v1/session/userinfo'); }
  list(): Promise<{ applications?: Application[] }> { return this.call('GET', '/api/v1/applications'); }
  get(name: string, includeHistory = false): Promise<Application> {
    return this.call('GET', `/api/v1/applications/${enc(name)}${includeHistory ? '?includeHistory=true' : ''}`);
  }
  diff(name: string): Promise<DiffResponse> { return this.call('GET', `/api/v1/applications/${enc(name)}/diff`); }
  history(name: string): Promise<{ entries?: HistoryEntry[] }> { return this.call('GET', `/api/v1/applications/${enc(name)}/history`); }
  liveObject(name: string, key: string): Promise<{ yaml?: string }> {
    return this.call('GET', `/api/v1/applications/${enc(name)}/live-object?key=${enc(key)}`);
  }
  manifests(name: string): Promise<{ yaml?: string; revision?: Revision }> {
    return this.call('GET', `/api/v1/applications/${enc(name)}/manifests`);
  }
  sync(name: string, prune: boolean): Promise<SyncResponse> {
    return this.call('POST', `/api/v1/applications/${enc(name)}/sync`, { prune });
  }
  pause(name: string): Promise<Application> { return this.call('POST', `/api/v1/applications/${enc(name)}/pause`); }
  resume(name: string): Promise<Application> { return this.call('POST', `/api/v1/applications/${enc(name)}/resume`); }
  refresh(name: string): Promise<Application> { return this.call('POST', `/api/v1/applications/${enc(name)}/refresh`); }
  rollback(name: string, historyId: string): Promise<RollbackResponse> {
    return this.call('POST', `/api/v1/applications/${enc(name)}/rollback`, { historyId });
  }

  pipelines(): Promise<{ pipelines?: Pipeline[] }> { return this.call('GET', '/api/v1/pipelines'); }
  /** Approves or rejects the revision waiting to enter a stage (the one shown, so a newer one is not approved unseen). */
  decide(pipeline: string, decision: 'approve' | 'reject', stage: string, revision: string, comment: string): Promise<Pipeline> {
    return this.call('POST', `/api/v1/pipelines/${enc(pipeline)}/${decision}`, { stage, revision, comment });
  }

  /** The applications' Watch stream (all apps, or one). */
  watch(name: string | null, onApp: (app: Application) => void, onState: (connected: boolean) => void): () => void {
    return this.stream<Application>('/api/v1/stream/applications' + (name ? `?name=${enc(name)}` : ''), onApp, onState);
  }

  /** The pipelines' Watch stream: every pipeline the token may see, then each change of its status. */
  watchPipelines(onPipeline: (pipeline: Pipeline) => void, onState: (connected: boolean) => void): () => void {
    return this.stream<Pipeline>('/api/v1/stream/pipelines', onPipeline, onState);
  }

  /** An app's resource tree, sent again each time it changes (a Pod it owns changes state, is replaced, …). */
  watchResourceTree(name: string, onTree: (tree: { nodes?: ResourceNode[] }) => void): () => void {
    return this.stream<{ nodes?: ResourceNode[] }>(`/api/v1/stream/applications/${enc(name)}/resource-tree`, onTree, () => undefined);
  }

  /**
   * Follows a server stream: the current state first, then every change, as newline-delimited JSON. When the stream
   * ends or fails it is opened again after a short, growing pause; the returned function ends it for good.
   */
  private stream<T extends object>(path: string, onItem: (item: T) => void, onState: (connected: boolean) => void): () => void {
    const abort = new AbortController();
    const run = async () => {
      let delay = 500;
      while (!abort.signal.aborted) {
        try {
          const response = await fetch(path, { headers: this.headers(false), signal: abort.signal, cache: 'no-store', credentials: 'omit' });
          if (!response.ok || !response.body) {
            const error = await this.error(response);
            if (error.status === 401 || error.status === 403 || error.status === 404) return;
            throw error;
          }
          onState(true);
          delay = 500;
          await readLines(response.body, abort.signal, line => {
            // Transcoding may wrap each message as {"result": …}; an error mid-stream comes as {"error": …}.
            const message = JSON.parse(line) as T | { result?: T; error?: unknown };
            if ('error' in message && message.error) throw new Error(JSON.stringify(message.error));
            onItem('result' in message && message.result ? message.result : (message as T));
          });
        } catch (e) {
          if (abort.signal.aborted) return;
          console.warn('watch stream interrupted', e instanceof Error ? e.message : e);
        }
        onState(false);
        await sleep(delay, abort.signal);
        delay = Math.min(delay * 2, 10_000);
      }
    };
    void run();
    return () => abort.abort();
  }
}

const enc = encodeURIComponent;

async function readLines(body: ReadableStream<Uint8Array>, signal: AbortSignal, onLine: (line: string) => void) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  signal.addEventListener('abort', () => void reader.cancel().catch(() => undefined), { once: true });
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += decoder.decode(value, { stream: true });
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) onLine(line);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}
