import { create } from 'zustand';
import type { ChartRef, ClinicInfo, SessionView } from '../../../../shared/api/portal-http';
import { portalSettingsFile, type PortalLanguage } from '../../../../shared/domain/portal';
import { onSessionEnded, PortalError, setCsrfToken } from '../api/client';
import { portalApi } from '../api/portal-api';
import { initialLanguage, type MessageKey } from '../i18n/i18n';

const LANGUAGE_KEY = 'cairn-portal-language';
const CHART_KEY = 'cairn-portal-chart';

const defaults = portalSettingsFile.parse({});
/**
 * Until the clinic's own answer arrives (or if its server predates GET /portal/api/clinic): the
 * portal settings' defaults and the browser's zone.
 */
const DEFAULT_CLINIC: ClinicInfo = {
  name: '',
  phone: '',
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  maxAttachmentBytes: defaults.messages.maxAttachmentBytes,
  maxBodyChars: defaults.messages.maxBodyChars,
};

function stored(storage: 'local' | 'session', key: string): string | null {
  try {
    return (storage === 'local' ? localStorage : sessionStorage).getItem(key);
  } catch {
    return null;
  }
}
function store(storage: 'local' | 'session', key: string, value: string | null): void {
  try {
    const s = storage === 'local' ? localStorage : sessionStorage;
    if (value === null) s.removeItem(key);
    else s.setItem(key, value);
  } catch {
    // Storage refused (private mode): the choice lasts for this page only.
  }
}

export interface PortalState {
  phase: 'loading' | 'signedOut' | 'signedIn';
  session: SessionView | null;
  clinic: ClinicInfo;
  language: PortalLanguage;
  /** The chart being viewed (one of session.charts), or null while the patient has to pick one. */
  chartId: string | null;
  /** A message for the sign-in screen ("you were signed out"). */
  notice: MessageKey | null;
  /** Signed in with a password, the authenticator's code still to come (after a reload, say). */
  totpPending: boolean;
  start: () => Promise<void>;
  signedIn: (s: SessionView) => void;
  signedOut: (notice?: MessageKey) => void;
  setLanguage: (l: PortalLanguage) => Promise<void>;
  pickChart: (patientId: string | null) => void;
}

/** The chart to show after sign-in: the one picked before in this tab if still linked, else the only one. */
function chartFor(s: SessionView, wanted: string | null): string | null {
  if (wanted && s.charts.some((c) => c.patientId === wanted)) return wanted;
  return s.charts.length === 1 ? s.charts[0]!.patientId : null;
}

export const usePortal = create<PortalState>()((set, get) => ({
  phase: 'loading',
  session: null,
  clinic: DEFAULT_CLINIC,
  language: initialLanguage(stored('local', LANGUAGE_KEY), navigator.languages ?? [navigator.language]),
  chartId: null,
  notice: null,
  totpPending: false,

  start: async () => {
    onSessionEnded(() => get().signedOut('signin.ended'));
    const clinic = portalApi.clinic().then(
      (c) => set({ clinic: { ...DEFAULT_CLINIC, ...c } }),
      () => undefined,
    );
    try {
      get().signedIn(await portalApi.session());
    } catch (e) {
      set({ phase: 'signedOut', totpPending: e instanceof PortalError && e.code === 'totp_required' });
    }
    await clinic;
  },

  signedIn: (s) => {
    setCsrfToken(s.csrfToken);
    store('local', LANGUAGE_KEY, s.account.language);
    set({
      phase: 'signedIn',
      session: s,
      language: s.account.language,
      chartId: chartFor(s, get().chartId ?? stored('session', CHART_KEY)),
      notice: null,
      totpPending: false,
    });
  },

  signedOut: (notice) => {
    setCsrfToken('');
    // Signing out on purpose starts the next person at sign-in, not at the last screen seen (an
    // ended session keeps the screen, to return to it after signing in again).
    if (notice === 'signin.signedOut') history.replaceState(null, '', `${location.pathname}${location.search}`);
    store('session', CHART_KEY, null);
    set({ phase: 'signedOut', session: null, chartId: null, notice: notice ?? null, totpPending: false });
  },

  setLanguage: async (language) => {
    store('local', LANGUAGE_KEY, language);
    set({ language });
    if (get().phase !== 'signedIn') return;
    try {
      const s = await portalApi.setLanguage(language);
      set({ session: s });
    } catch (e) {
      // The screens already speak the new language; the account keeps its old one for emails
      // until the next change. A 401 has signed the patient out through the client.
      if (!(e instanceof PortalError)) throw e;
    }
  },

  pickChart: (patientId) => {
    store('session', CHART_KEY, patientId);
    set({ chartId: patientId });
  },
}));

/** The chart being viewed. */
export function useChart(): ChartRef | null {
  return usePortal((s) => s.session?.charts.find((c) => c.patientId === s.chartId) ?? null);
}
