import { Tabs } from '@mantine/core';
import type { ReactElement } from 'react';
import { mayCall } from '../../../../shared/api/permissions';
import { useSession } from '../../stores/session.store';
import { ResultsInbox } from './ResultsInbox';
import { ReviewQueue } from './ReviewQueue';
import { UnmatchedQueue } from './UnmatchedQueue';
import { ScreenTitle } from '../../components';

/** The results screen: the inbox to review, the results no chart was found for, and the HL7 review queue. */
export function LabsScreen({ tab }: { tab?: 'inbox' | 'unmatched' | 'review' | undefined }): ReactElement {
  const role = useSession((s) => s.session?.user?.role ?? null);
  return (
    <Tabs defaultValue={tab ?? 'inbox'} keepMounted={false}>
      <ScreenTitle title="Results" />
      <Tabs.List mt="sm" mb="md">
        <Tabs.Tab value="inbox" data-testid="tab-inbox">
          Inbox
        </Tabs.Tab>
        {mayCall(role, 'labs.unmatched') && (
          <Tabs.Tab value="unmatched" data-testid="tab-unmatched">
            Unmatched
          </Tabs.Tab>
        )}
        {mayCall(role, 'labs.reviews') && (
          <Tabs.Tab value="review" data-testid="tab-review">
            Review
          </Tabs.Tab>
        )}
      </Tabs.List>
      <Tabs.Panel value="inbox">
        <ResultsInbox />
      </Tabs.Panel>
      <Tabs.Panel value="unmatched">
        <UnmatchedQueue />
      </Tabs.Panel>
      <Tabs.Panel value="review">
        <ReviewQueue />
      </Tabs.Panel>
    </Tabs>
  );
}
