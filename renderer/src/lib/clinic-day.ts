import { clinicDate, localTimeZone } from '../../../shared/domain/dates';
import { useSession } from '../stores/session.store';

/**
 * Today's date where the clinic is (its zone, from the session state), as the main process's
 * checks read it: a default date or an age on screen must not run a day ahead of them in the
 * evening (UTC's date does, in the Americas). With no database open, this machine's own day.
 */
export function clinicToday(): string {
  return clinicDate(Date.now(), useSession.getState().session?.clinicZone ?? localTimeZone());
}

/** The clinic's day of an instant (a visit's start): what its date reads on screen and on paper. */
export function clinicDayOf(at: string): string {
  return clinicDate(at, useSession.getState().session?.clinicZone ?? localTimeZone());
}
