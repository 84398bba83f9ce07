// The tab's session: the token lives in sessionStorage (this tab only, gone when it closes), never in a URL.
import { ApiClient, type UserInfo } from './api';
import { mayApprove } from './model';

const KEY = 'gitops.token';

export interface Session {
  api: ApiClient;
  user: UserInfo;
  /** Whether the token may change things (sync, pause, resume, rollback, refresh): the UI offers them only then. */
  canOperate: boolean;
  /** Whether the token may approve or reject promotions of this pipeline (admin, or an approver given it). */
  canApprove: (pipeline: string) => boolean;
}

export function storedToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function storeToken(token: string | null) {
  if (token) sessionStorage.setItem(KEY, token);
  else sessionStorage.removeItem(KEY);
}

/** Asks the server who the token is; throws ApiError (401 for a missing or wrong token). */
export async function open(token: string | null, onUnauthenticated: () => void): Promise<Session> {
  const probe = new ApiClient(token, () => undefined);
  const user = await probe.userInfo();
  return { api: new ApiClient(token, onUnauthenticated), user, canOperate: user.role === 'ROLE_ADMIN', canApprove: p => mayApprove(user, p) };
}
