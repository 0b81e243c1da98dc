import { z } from 'zod';

import { advanceInput, appointment, bookInput, bookResult, cancelInput, freeSlotInput, listInput, rescheduleInput, scheduleConfig } from '../domain/schedule';

import { DEMOGRAPHICS_READ } from './roles';
import { channel, none, ofPatient } from './channel';

/** An appointment as the calendar and flow board list it: with whether the patient booked it on the portal. */
export const listedAppointment = appointment.extend({ bookedOnline: z.boolean() });

/** The schedule area's channels: each one's input, output, roles, restricted-chart scope and what it does. */
export const scheduleChannels = {
  'schedule.config': channel({
    doc: "The clinic's schedule settings: hours, rooms, visit types and their lengths.",
    // Scheduling: whoever books and checks patients in (as for visits); everyone signed in sees the calendar.
    roles: DEMOGRAPHICS_READ,
    scope: 'none',
    input: none,
    output: scheduleConfig,
  }),
  'schedule.providers': channel({
    doc: "Who can be booked: the clinic's physicians and nurses.",
    roles: DEMOGRAPHICS_READ,
    scope: 'none',
    input: none,
    output: z.array(z.object({ id: z.string(), displayName: z.string(), role: z.string() })),
  }),
  'schedule.list': channel({
    doc: 'Appointments in a date range, by provider or room; restricted charts show their name only.',
    roles: DEMOGRAPHICS_READ,
    // Across charts: the calendar shows a restricted chart's name only (no MRN, no reason), as search does.
    scope: 'none',
    input: listInput,
    output: z.array(listedAppointment),
  }),
  'schedule.freeSlot': channel({
    doc: "The next free slot of a provider's calendar for a visit of that length.",
    roles: DEMOGRAPHICS_READ,
    scope: 'none',
    input: freeSlotInput,
    output: z.object({ startAt: z.string(), endAt: z.string() }).nullable(),
  }),
  'schedule.book': channel({
    doc: 'Books an appointment or a series; a double booking is refused (needs_override) until sent again with allowDoubleBooking: true.',
    roles: ['physician', 'nurse', 'front_desk'],
    // Writes name the patient; the service refuses an appointment that is not that patient's.
    scope: ofPatient,
    input: bookInput,
    output: bookResult,
  }),
  'schedule.reschedule': channel({
    doc: 'Moves an appointment to another time, provider or room.',
    roles: ['physician', 'nurse', 'front_desk'],
    scope: ofPatient,
    input: rescheduleInput,
    output: appointment,
  }),
  'schedule.cancel': channel({
    doc: "Cancels an appointment or records a no-show, with the reason; scope 'rest' cancels the rest of a series.",
    roles: ['physician', 'nurse', 'front_desk'],
    scope: ofPatient,
    input: cancelInput,
    output: z.array(appointment),
  }),
  'schedule.advance': channel({
    doc: "One step along the flow board; checking in opens the visit's encounter.",
    roles: ['physician', 'nurse', 'front_desk'],
    scope: ofPatient,
    input: advanceInput,
    output: appointment,
  }),
};
