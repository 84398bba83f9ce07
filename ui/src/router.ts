// A tiny hash router: #/ (applications) and #/apps/NAME[/TAB]. The hash keeps the server to one page.
import { useEffect, useState } from 'preact/hooks';

export type Route = { view: 'list' } | { view: 'app'; name: string; tab: string };

export function parse(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'apps' && parts[1]) return { view: 'app', name: parts[1], tab: parts[2] ?? 'summary' };
  return { view: 'list' };
}

export function href(route: Route): string {
  return route.view === 'list' ? '#/' : `#/apps/${encodeURIComponent(route.name)}${route.tab === 'summary' ? '' : '/' + route.tab}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parse(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parse(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
