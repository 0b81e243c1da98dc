import type { ReactElement, ReactNode } from 'react';
import { ErrorNote } from './ErrorNote';
import { Loading } from './Loading';
import type { Load } from './use-load';

/** A load's three faces: waiting, refused (with a retry), or its data. */
export function Loaded<T>({ load, children }: { load: Load<T>; children: (data: T) => ReactNode }): ReactElement {
  if (load.error) return <ErrorNote error={load.error} onRetry={load.reload} />;
  if (load.data === undefined) return <Loading />;
  return <>{children(load.data)}</>;
}
