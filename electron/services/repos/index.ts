import type { Store } from '../db/open';
import { AuditRepo } from './audit.repo';
import { OutboxRepo } from './outbox.repo';
import { PatientsRepo } from './patients.repo';
import { UsersRepo } from './users.repo';

export interface Repos {
  audit: AuditRepo;
  outbox: OutboxRepo;
  patients: PatientsRepo;
  users: UsersRepo;
}

/** All repositories over one open store, sharing one clock. */
export function createRepos(store: Store, now: () => Date = () => new Date()): Repos {
  const audit = new AuditRepo(store.sqlite, store.deviceId);
  const outbox = new OutboxRepo(store.sqlite, store.deviceId);
  return {
    audit,
    outbox,
    patients: new PatientsRepo(store, audit, outbox, now),
    users: new UsersRepo(store, audit, now),
  };
}
