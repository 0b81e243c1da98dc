import { useEffect } from 'react';

/**
 * For a dialog that is mounted only while it is open: when it goes, focus goes back to what had it
 * when the dialog opened. Mantine's Modal returns focus only when its `opened` turns false while it
 * stays mounted; unmounted, it leaves focus on the page body and a keyboard user starts over.
 */
export function useRestoreFocus(): void {
  useEffect(() => {
    const opener = document.activeElement;
    return () => {
      if (opener instanceof HTMLElement) setTimeout(() => opener.isConnected && opener.focus());
    };
  }, []);
}
