import { useSyncExternalStore } from 'react';

/** The portal's screens, addressed by the URL's hash (#/results), so the server serves one page at /portal/. */
export type Route =
  | { name: 'signin' }
  | { name: 'register' }
  | { name: 'home' }
  | { name: 'charts' }
  | { name: 'health' }
  | { name: 'results' }
  | { name: 'appointments' }
  | { name: 'book' }
  | { name: 'request' }
  | { name: 'messages' }
  | { name: 'newMessage' }
  | { name: 'thread'; id: string }
  | { name: 'forms' }
  | { name: 'form'; id: string; appointmentId: string | null }
  | { name: 'record' }
  | { name: 'account' };

const SIMPLE = ['signin', 'register', 'home', 'charts', 'health', 'results', 'appointments', 'record', 'account', 'messages', 'forms'] as const;

/** Reads a hash ("#/messages/abc") into a route; anything unknown is Home. */
export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second] = parts;
  if (first === 'appointments' && second === 'book') return { name: 'book' };
  if (first === 'appointments' && second === 'request') return { name: 'request' };
  if (first === 'messages' && second === 'new') return { name: 'newMessage' };
  if (first === 'messages' && second) return { name: 'thread', id: second };
  if (first === 'forms' && second) return { name: 'form', id: second, appointmentId: new URLSearchParams(query).get('appointment') };
  const simple = SIMPLE.find((s) => s === first);
  return simple ? { name: simple } : { name: 'home' };
}

/** The hash of a route (for links: `<a href={href(r)}>`). */
export function href(r: Route): string {
  switch (r.name) {
    case 'book':
      return '#/appointments/book';
    case 'request':
      return '#/appointments/request';
    case 'newMessage':
      return '#/messages/new';
    case 'thread':
      return `#/messages/${encodeURIComponent(r.id)}`;
    case 'form':
      return `#/forms/${encodeURIComponent(r.id)}${r.appointmentId ? `?appointment=${encodeURIComponent(r.appointmentId)}` : ''}`;
    case 'signin':
    case 'register':
    case 'home':
    case 'charts':
    case 'health':
    case 'results':
    case 'appointments':
    case 'messages':
    case 'forms':
    case 'record':
    case 'account':
      return `#/${r.name}`;
  }
}

export function go(r: Route): void {
  window.location.hash = href(r);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The hash, re-rendering on every change. */
export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}

export function useRoute(): Route {
  return parseRoute(useHash());
}
