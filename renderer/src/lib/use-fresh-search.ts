import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';

export interface FreshSearch<T> {
  /** Results for exactly the query now typed; empty while that query's answer is on its way. */
  results: T[];
  /** True while the typed query has no answer yet (debouncing or waiting for the backend). */
  pending: boolean;
}

/**
 * A search whose results always answer the text now in the box. Important: a picker must never
 * offer (or let Enter pick) results of an earlier query — typing "doxycy" must not list donepezil
 * from "do". Answers are tagged with their query and a sequence number: a late answer to an older
 * request is dropped, and results are shown only when their query is the current one.
 */
export function useFreshSearch<T>(
  query: string,
  search: (q: string) => Promise<T[] | null>,
  opts: { minLength?: number; delayMs?: number } = {},
): FreshSearch<T> {
  const minLength = opts.minLength ?? 1;
  const q = query.trim();
  const [debounced] = useDebouncedValue(q, opts.delayMs ?? 150);
  const [answer, setAnswer] = useState<{ query: string; results: T[] }>({ query: '', results: [] });
  const seq = useRef(0);
  const searchRef = useRef(search);
  useEffect(() => {
    searchRef.current = search;
  });
  useEffect(() => {
    const mine = ++seq.current; // also voids any answer still on its way
    if (debounced.length < minLength) return;
    void searchRef.current(debounced).then((results) => {
      if (mine === seq.current) setAnswer({ query: debounced, results: results ?? [] });
    });
  }, [debounced, minLength]);
  if (q.length < minLength) return { results: [], pending: false };
  const current = answer.query === q;
  return { results: current ? answer.results : [], pending: !current };
}
