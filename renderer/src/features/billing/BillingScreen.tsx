import { Divider, Stack, Tabs } from '@mantine/core';
import type { ReactElement } from 'react';
import { mayCall } from '../../../../shared/api/permissions';
import { ScreenTitle } from '../../components';
import { useSession } from '../../stores/session.store';
import { ArDashboard } from './ArDashboard';
import { BillingSettingsForm } from './BillingSettingsForm';
import { ClaimsWorklist } from './ClaimsWorklist';
import { DenialsPanel } from './DenialsPanel';
import { EraPosting } from './EraPosting';
import { FeeImport } from './FeeImport';
import { PayerDirectory } from './PayerDirectory';
import { ReportsPanel } from './ReportsPanel';

export const BILLING_TABS = ['claims', 'denials', 'era', 'aging', 'reports', 'settings'] as const;
export type BillingTab = (typeof BILLING_TABS)[number];

/** The biller's screen: the claims worklist, denials, ERA posting, A/R aging, reports, and the clinic's billing settings and payers. */
export function BillingScreen({ tab }: { tab?: string | undefined }): ReactElement {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const start = (BILLING_TABS as readonly string[]).includes(tab ?? '') ? tab : 'claims';
  return (
    <Tabs defaultValue={start} keepMounted={false}>
      <ScreenTitle title="Billing" />
      <Tabs.List mt="sm" mb="md">
        <Tabs.Tab value="claims" data-testid="billing-tab-claims">
          Claims
        </Tabs.Tab>
        <Tabs.Tab value="denials" data-testid="billing-tab-denials">
          Denials
        </Tabs.Tab>
        <Tabs.Tab value="era" data-testid="billing-tab-era">
          ERA posting
        </Tabs.Tab>
        <Tabs.Tab value="aging" data-testid="billing-tab-aging">
          A/R aging
        </Tabs.Tab>
        <Tabs.Tab value="reports" data-testid="billing-tab-reports">
          Reports
        </Tabs.Tab>
        {mayCall(role, 'billing.settings') && (
          <Tabs.Tab value="settings" data-testid="billing-tab-settings">
            Settings and payers
          </Tabs.Tab>
        )}
      </Tabs.List>
      <Tabs.Panel value="claims">
        <ClaimsWorklist />
      </Tabs.Panel>
      <Tabs.Panel value="denials">
        <DenialsPanel />
      </Tabs.Panel>
      <Tabs.Panel value="era">
        <EraPosting />
      </Tabs.Panel>
      <Tabs.Panel value="aging">
        <ArDashboard />
      </Tabs.Panel>
      <Tabs.Panel value="reports">
        <ReportsPanel />
      </Tabs.Panel>
      <Tabs.Panel value="settings">
        <Stack>
          <BillingSettingsForm />
          <Divider />
          <PayerDirectory />
          <Divider />
          <FeeImport />
        </Stack>
      </Tabs.Panel>
    </Tabs>
  );
}
