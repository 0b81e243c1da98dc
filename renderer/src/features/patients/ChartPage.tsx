import { Alert, Card, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState, type ReactElement } from 'react';
import type { Out } from '../../../../shared/api/contract';
import { api } from '../../lib/api';
import { PatientBanner } from './PatientBanner';

type ChartHeader = Out<'patients.chartHeader'>;

/** The chart: banner on top, demographics below; clinical sections arrive with the charting work. */
export function ChartPage({ patientId }: { patientId: string }): ReactElement {
  const [data, setData] = useState<ChartHeader | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api['patients.chartHeader']({ id: patientId }).then((r) => (r.ok ? setData(r.value) : setError(r.error.message)));
  }, [patientId]);
  if (error) return <Alert color="red">{error}</Alert>;
  if (!data) return <Loader />;
  const p = data.patient;
  const addr = [p.address.line1, p.address.city, p.address.state, p.address.postalCode, p.address.country].filter(Boolean).join(', ');
  return (
    <Stack>
      <PatientBanner patient={p} allergyStatus={data.allergyStatus} />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={4}>Contact</Title>
          <Text>Phone: {p.phone ?? '—'}</Text>
          <Text>Email: {p.email ?? '—'}</Text>
          <Text>Address: {addr || '—'}</Text>
          <Text>Preferred language: {p.preferredLanguage ?? '—'}</Text>
        </Card>
        <Card withBorder>
          <Title order={4}>Insurance</Title>
          <Text>Payer: {p.insurance.payer ?? '—'}</Text>
          <Text>Member ID: {p.insurance.memberId ?? '—'}</Text>
          <Text>Group: {p.insurance.groupNumber ?? '—'}</Text>
        </Card>
      </SimpleGrid>
      <Text size="xs" c="dimmed">
        Registered {new Date(p.createdAt).toLocaleString()} · record version {p.version}
      </Text>
    </Stack>
  );
}
