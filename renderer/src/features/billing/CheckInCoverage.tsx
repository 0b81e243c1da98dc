import { Divider, Stack, Text, Title } from '@mantine/core';
import { useCallback, useState, type ReactElement } from 'react';
import { mayCall } from '../../../../shared/api/permissions';
import type { Coverage } from '../../../../shared/domain/billing/model';
import { useSession } from '../../stores/session.store';
import { CoveragePanel } from './CoveragePanel';
import { PaymentForm } from './PaymentForm';

/** The copay the front desk asks for: the payer's latest answer first, else what the card says. */
function copayOf(list: Coverage[]): number | null {
  const primary = list.find((c) => c.rank === 'primary' && !c.effectiveTo) ?? list[0];
  return primary?.eligibility?.copayCents ?? primary?.copayCents ?? null;
}

/** The check-in checklist's insurance step: coverage confirmed, eligibility asked, the copay collected with a receipt. */
export function CheckInCoverage({ patientId }: { patientId: string }): ReactElement {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const [copay, setCopay] = useState<number | null | undefined>(undefined);
  const loaded = useCallback((list: Coverage[]) => setCopay(copayOf(list)), []);
  return (
    <Stack gap="xs" data-testid="check-in-coverage">
      <CoveragePanel patientId={patientId} headingOrder={3} onLoaded={loaded} />
      {mayCall(role, 'billing.pay') && copay !== undefined && (
        <>
          <Divider />
          <Title order={3} size="h4">
            Copay
          </Title>
          {copay === null && <Text size="sm">No copay on file: collect what the card or the payer says, if any.</Text>}
          {/* Remounted when the copay becomes known, so the amount is filled in. */}
          <PaymentForm key={String(copay)} patientId={patientId} defaultCents={copay} memo="Copay at check-in" />
        </>
      )}
    </Stack>
  );
}
