import { Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactElement } from 'react';
import type { ChartSummary } from '../../../../shared/domain/chart';

const ARROW = { up: '↑', down: '↓', steady: '→' } as const;

/** The face sheet: what a clinician scans before walking into the room. */
export function FaceSheet({ summary }: { summary: ChartSummary }): ReactElement {
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} data-testid="face-sheet">
      <Card withBorder>
        <Title order={5}>Active problems</Title>
        {summary.problems.length === 0 ? <Text c="dimmed" size="sm">None recorded</Text> : summary.problems.map((p) => (
          <Text key={p.id} size="sm"><b>{p.icd10}</b> {p.display}</Text>
        ))}
      </Card>
      <Card withBorder>
        <Title order={5}>Medications</Title>
        {summary.medications.length === 0 ? <Text c="dimmed" size="sm">None recorded</Text> : summary.medications.map((m) => (
          <Text key={m.courseId} size="sm">{m.drugName} {m.dose ?? ''} {m.route ?? ''} {m.frequency ?? ''}</Text>
        ))}
      </Card>
      <Card withBorder>
        <Title order={5}>Allergies</Title>
        {summary.allergyStatus.kind === 'unknown' && <Text c="orange" size="sm">Not reviewed</Text>}
        {summary.allergyStatus.kind === 'nka' && <Text size="sm">No known allergies</Text>}
        {summary.allergies.filter((a) => a.kind === 'allergy').map((a) => (
          <Text key={a.id} size="sm"><b>{a.substance}</b> {a.reactions.join(', ')} {a.criticality === 'high' && <Badge size="xs" color="red">high</Badge>}</Text>
        ))}
      </Card>
      <Card withBorder>
        <Title order={5}>Last vitals</Title>
        <Table verticalSpacing={2}>
          <Table.Tbody>
            {summary.lastVitals.map((v) => (
              <Table.Tr key={v.kind}>
                <Table.Td><Text size="sm">{v.display}</Text></Table.Td>
                <Table.Td><Text size="sm" fw={600} c={v.flag && v.flag !== 'N' ? 'red' : undefined}>{v.value} {v.unit} {v.trend && ARROW[v.trend]}</Text></Table.Td>
                <Table.Td><Text size="xs" c="dimmed">{v.at.slice(0, 10)}</Text></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {summary.lastVitals.length === 0 && <Text c="dimmed" size="sm">None recorded</Text>}
      </Card>
      <Card withBorder>
        <Title order={5}>Immunizations due</Title>
        {summary.immunizationsDue.length === 0 ? <Text c="dimmed" size="sm">Nothing due today</Text> : summary.immunizationsDue.map((d) => (
          <Group key={d.seriesId} gap="xs"><Badge size="xs" color={d.status === 'overdue' ? 'red' : 'orange'}>{d.status}</Badge><Text size="sm">{d.series}</Text></Group>
        ))}
      </Card>
      <Card withBorder>
        <Title order={5}>Recent notes and results</Title>
        <Stack gap={2}>
          {summary.recentNotes.map((n) => (
            <Text key={n.id} size="sm">{n.at.slice(0, 10)} · {n.title} <Badge size="xs" variant="light">{n.status.replace(/_/g, ' ')}</Badge></Text>
          ))}
          {summary.recentResults.map((r) => (
            <Text key={r.id} size="sm">{r.at.slice(0, 10)} · {r.display}: {r.value} {r.unit ?? ''} {r.flag && r.flag !== 'N' ? `(${r.flag})` : ''}</Text>
          ))}
          {summary.recentNotes.length + summary.recentResults.length === 0 && <Text c="dimmed" size="sm">None yet</Text>}
        </Stack>
      </Card>
    </SimpleGrid>
  );
}
