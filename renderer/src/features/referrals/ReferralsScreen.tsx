import { Tabs } from '@mantine/core';
import type { ReactElement } from 'react';
import { mayCall } from '../../../../shared/api/permissions';
import { ScreenTitle } from '../../components';
import { useSession } from '../../stores/session.store';
import { AddressBook } from './AddressBook';
import { OverdueReferrals } from './OverdueReferrals';

export const REFERRALS_TABS = ['overdue', 'address-book'] as const;
export type ReferralsTabName = (typeof REFERRALS_TABS)[number];

/**
 * The clinic-wide referrals screen: the overdue worklist (physicians, nurses, the front desk) and the
 * address book (those, and administrators, who keep it only).
 */
export function ReferralsScreen({ tab }: { tab?: ReferralsTabName | undefined }): ReactElement {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const worklist = mayCall(role, 'referrals.overdue');
  const start = worklist ? (tab ?? 'overdue') : 'address-book';
  return (
    <Tabs defaultValue={start} keepMounted={false}>
      <ScreenTitle title="Referrals" />
      <Tabs.List mt="sm" mb="md">
        {worklist && (
          <Tabs.Tab value="overdue" data-testid="referrals-tab-overdue">
            Overdue
          </Tabs.Tab>
        )}
        <Tabs.Tab value="address-book" data-testid="referrals-tab-address-book">
          Address book
        </Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="overdue">{worklist && <OverdueReferrals />}</Tabs.Panel>
      <Tabs.Panel value="address-book">
        <AddressBook />
      </Tabs.Panel>
    </Tabs>
  );
}
