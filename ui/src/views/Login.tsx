import { useState } from 'preact/hooks';

export function Login({ onLogin, error }: { onLogin: (token: string) => void; error: string | null }) {
  const [token, setToken] = useState('');
  return (
    <main class="center">
      <form
        class="card login"
        onSubmit={e => { e.preventDefault(); if (token.trim()) onLogin(token.trim()); }}
      >
        <h1>gitops</h1>
        <p class="muted">Log in with an API token (the same as the CLI's <code>--token</code>). It is kept for this tab only.</p>
        <label>
          Token
          <input type="password" autocomplete="off" name="token" data-testid="token" value={token}
            onInput={e => setToken((e.target as HTMLInputElement).value)} autofocus />
        </label>
        {error && <p class="error" role="alert">{error}</p>}
        <button type="submit" class="primary" data-testid="login">Log in</button>
      </form>
    </main>
  );
}
