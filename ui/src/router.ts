// A tiny hash router: #/ (applications), #/apps/NAME[/TAB] and #/pipelines. The hash keeps the server to one page.
import { useEffect, useState } from 'preact/hooks';

export type Route = { view: 'list' } | { view: 'pipelines' } | { view: 'app'; name: string; tab: string };

export function parse(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'apps' && parts[1]) return { view: 'app', name: parts[1], tab: parts[2] ?? 'summary' };
  if (parts[0] === 'pipelines') return { view: 'pipelines' };
  return { view: 'list' };
}

export function href(route: Route): string {
  if (route.view === 'pipelines') return '#/pipelines';
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
