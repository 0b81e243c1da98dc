/**
 * "Is anyone's work unsaved?" — what the update client asks before installing on quit.
 *
 * What counts today: a note draft is saved to the encrypted database within 600 ms of each keystroke
 * (NoteEditor's autosave), so a *saved* draft survives an update and does not hold one back. What can
 * be lost is what only the window holds: a note editor whose state is 'unsaved', 'saving' or 'error'
 * (the last keystrokes, a save in flight, a save that failed), and any form filled in but not yet
 * submitted (vitals, registration, orders, a prescription). The renderer reports that state; a window
 * that cannot answer (hung, crashed, closing) counts as unsaved, so the update waits for the next quit.
 */

/** What is open and unsaved, in words for the log (never patient data: "a note draft has unsaved changes"). */
export interface UnsavedWork {
  what: string;
}

/** Answers whether a signed-in person has unsaved work open; null when installing now loses nothing. */
export interface UnsavedWorkProbe {
  unsavedWork(): Promise<UnsavedWork | null>;
}

/**
 * The main process's record of what each window last reported (the renderer sends `what` when a form
 * or draft becomes dirty and null when it is saved or closed). Only a signed-in session's reports
 * count: signing out and locking clear the renderer's memory (stores/sign-out.ts), so nothing unsaved
 * outlives a session.
 */
export class UnsavedWorkRegister implements UnsavedWorkProbe {
  private readonly reports = new Map<number, string>();

  constructor(private readonly signedIn: () => boolean) {}

  /** A window's report: what is unsaved, or null when everything it holds is saved. */
  report(windowId: number, what: string | null): void {
    if (what === null) this.reports.delete(windowId);
    else this.reports.set(windowId, what.slice(0, 200));
  }

  /** A window closed or signed out: what it held is gone either way. */
  forget(windowId: number): void {
    this.reports.delete(windowId);
  }

  unsavedWork(): Promise<UnsavedWork | null> {
    if (!this.signedIn()) return Promise.resolve(null);
    const first = this.reports.values().next();
    return Promise.resolve(first.done ? null : { what: first.value });
  }
}

/** A probe that must answer within `ms`; no answer (or a failure) counts as unsaved work. */
export function answeringWithin(probe: UnsavedWorkProbe, ms: number): UnsavedWorkProbe {
  return {
    unsavedWork: () =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve({ what: `the window did not say within ${ms} ms whether work is unsaved` }), ms);
        probe.unsavedWork().then(
          (w) => {
            clearTimeout(timer);
            resolve(w);
          },
          (e: unknown) => {
            clearTimeout(timer);
            resolve({ what: `asking the window about unsaved work failed (${e instanceof Error ? e.message : String(e)})` });
          },
        );
      }),
  };
}
