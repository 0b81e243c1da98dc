/**
 * Dates and the clinic's clock, in one place: calendar dates and their arithmetic (calendar.ts) and
 * wall-clock time in the clinic's zone (clinic-zone.ts). Everything else imports them from here.
 */
export * from './calendar';
export * from './clinic-zone';
