import { render } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from './api';
import { open, storeToken, storedToken, type Session } from './session';
import { useRoute } from './router';
import { Login } from './views/Login';
import { AppList } from './views/AppList';
import { AppDetail } from './views/AppDetail';
import { Pipelines } from './views/Pipelines';
import './style.css';

function Root() {
  const [session, setSession] = useState<Session | null>(null);
  const [checking, setChecking] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const route = useRoute();

  const logout = useCallback(() => {
    storeToken(null);
    setSession(null);
  }, []);

  const login = useCallback(async (token: string | null) => {
    setError(null);
    try {
      const s = await open(token, () => { storeToken(null); setSession(null); setError('Your token was refused; log in again.'); });
      storeToken(token);
      setSession(s);
    } catch (e) {
      storeToken(null);
      setSession(null);
      if (token !== null || !(e instanceof ApiError && e.status === 401)) {
        setError(e instanceof ApiError && e.status === 401 ? 'This token was refused.' : e instanceof Error ? e.message : String(e));
      }
    } finally {
      setChecking(false);
    }
  }, []);

  // A token from this tab, or none (a controller without --tokens accepts every caller).
  useEffect(() => { void login(storedToken()); }, [login]);

  if (checking) return <main class="center">Connecting…</main>;
  if (!session) return <Login onLogin={token => login(token)} error={error} />;
  return (
    <div class="shell">
      <header class="top">
        <a class="brand" href="#/">gitops</a>
        <nav class="sections">
          <a href="#/" class={route.view === 'pipelines' ? '' : 'active'} data-testid="nav-applications">Applications</a>
          <a href="#/pipelines" class={route.view === 'pipelines' ? 'active' : ''} data-testid="nav-pipelines">Pipelines</a>
        </nav>
        <span class="spacer" />
        <span class="who" data-testid="who">
          {session.user.subject} · {roleName(session.user.role)}
        </span>
        {session.user.authEnabled && <button class="link" onClick={logout} data-testid="logout">Log out</button>}
      </header>
      {route.view === 'list' ? <AppList session={session} />
        : route.view === 'pipelines' ? <Pipelines session={session} />
        : <AppDetail key={route.name} session={session} name={route.name} tab={route.tab} />}
    </div>
  );
}

function roleName(role: string | undefined): string {
  return role === 'ROLE_ADMIN' ? 'admin' : role === 'ROLE_APPROVER' ? 'approver' : 'read-only';
}

render(<Root />, document.getElementById('app')!);
