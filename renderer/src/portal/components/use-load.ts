import { useCallback, useEffect, useRef, useState } from 'react';

export interface Load<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  /** Replace the data with what a write answered (a thread after a reply). */
  set: (data: T) => void;
}

interface Answer<T> {
  key: string | null;
  round: number;
  data: T | undefined;
  error: unknown;
}

/**
 * Loads once per `key` (null: nothing to load yet) and again on reload(). An answer for another key
 * is never shown, so a chart switched mid-load never shows the other chart's data; while reloading,
 * the last data of the same key stays on screen.
 */
export function useLoad<T>(key: string | null, load: () => Promise<T>): Load<T> {
  const [round, setRound] = useState(0);
  const [answer, setAnswer] = useState<Answer<T>>({ key: null, round: -1, data: undefined, error: null });
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });
  useEffect(() => {
    if (key === null) return;
    let live = true;
    loadRef.current().then(
      (data) => live && setAnswer({ key, round, data, error: null }),
      (error: unknown) => live && setAnswer({ key, round, data: undefined, error }),
    );
    return () => {
      live = false;
    };
  }, [key, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  const set = useCallback((data: T) => setAnswer((a) => ({ ...a, data, error: null })), []);
  const sameKey = answer.key === key;
  const current = sameKey && answer.round === round;
  return { data: sameKey ? answer.data : undefined, error: current ? answer.error : null, loading: !current, reload, set };
}
