import { useState, type FormEvent } from 'react';
import type { SessionView } from '../../../../../shared/api/portal-http';
import { useI18n } from '../../i18n/use-i18n';
import { usePortal } from '../../state/portal.store';

export interface TotpCode {
  code: string;
  setCode: (v: string) => void;
  /** Why the typed code is not six digits (checked before anything is sent). */
  error: string | undefined;
  /** What the server refused, for ErrorNote. */
  failure: unknown;
  setFailure: (e: unknown) => void;
  busy: boolean;
  setBusy: (b: boolean) => void;
  submit: (e: FormEvent) => Promise<void>;
}

/**
 * A 6-digit authenticator code typed and sent: at sign-in (the second step) and when two-step
 * sign-in is turned on. `send` is the call that takes the code and answers the session.
 */
export function useTotpCode(send: (digits: string) => Promise<SessionView>): TotpCode {
  const { t } = useI18n();
  const signedIn = usePortal((s) => s.signedIn);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const digits = code.replace(/\s/g, '');
    if (!/^\d{6}$/.test(digits)) {
      setError(t('totp.invalid'));
      return;
    }
    setError(undefined);
    setBusy(true);
    setFailure(null);
    try {
      signedIn(await send(digits));
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };
  return { code, setCode, error, failure, setFailure, busy, setBusy, submit };
}
