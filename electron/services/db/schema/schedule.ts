import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { audited } from './columns';
import { users } from './security';
import { encounters, patients } from './patients';

// Appointments and the flow board.

export const appointments = sqliteTable(
  'appointments',
  {
    ...audited,
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    providerId: text('provider_id').references(() => users.id),
    room: text('room'),
    appointmentType: text('appointment_type').notNull(),
    startAt: text('start_at').notNull(),
    endAt: text('end_at').notNull(),
    status: text('status').notNull(),
    reason: text('reason'),
    /** A recurring series shares one id; `series_index` numbers its visits from 1. */
    seriesId: text('series_id'),
    seriesIndex: integer('series_index'),
    /** Why a visit was cancelled or missed (no-show), by whom and when: kept, never deleted. */
    cancelReason: text('cancel_reason'),
    cancelledAt: text('cancelled_at'),
    cancelledBy: text('cancelled_by'),
    /** Flow board: when the visit entered each state (UTC ISO). */
    arrivedAt: text('arrived_at'),
    checkedInAt: text('checked_in_at'),
    roomedAt: text('roomed_at'),
    withProviderAt: text('with_provider_at'),
    checkedOutAt: text('checked_out_at'),
    /** The check-in checklist (JSON: demographics, insurance, intake answers). */
    checkIn: text('check_in'),
    /** The visit's encounter, opened at check-in. */
    encounterId: text('encounter_id').references(() => encounters.id),
    /** Booked by the patient on the portal (flagged on the flow board). */
    bookedOnline: integer('booked_online').notNull().default(0),
  },
  (t) => [
    index('appointments_start_idx').on(t.startAt),
    index('appointments_patient_idx').on(t.patientId),
    // The day/week views and the free-slot search read one provider's or one room's visits by time.
    index('appointments_provider_start_idx').on(t.providerId, t.startAt),
    index('appointments_room_start_idx').on(t.room, t.startAt),
    index('appointments_series_idx').on(t.seriesId),
  ],
);
