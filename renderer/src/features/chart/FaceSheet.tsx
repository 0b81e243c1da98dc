import { Alert, Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactElement } from 'react';
import type { ChartSummary } from '../../../../shared/domain/chart';
import { displayQuantity, withUnit } from '../../../../shared/domain/display-units';
import { ABNORMAL_FLAGS } from '../../../../shared/domain/lab-results';
import { AssessmentNote } from '../growth';

type Result = ChartSummary['recentResults'][number];

/** A flag in words ("critically high"), so it is never told by colour alone. */
const flagWords = (flag: string | null): string | null => (flag && flag !== 'N' ? ((ABNORMAL_FLAGS as Record<string, string>)[flag] ?? flag) : null);

/** One result line: a critical value is red, bold, on a red ground and says "Critical" in words. */
function ResultLine({ r }: { r: Result }): ReactElement {
  const words = flagWords(r.flag);
  const value = `${r.display}: ${withUnit(r.value, r.unit)}`;
  if (r.severity !== 'critical') {
    return (
      <Text size="sm" data-testid="face-result">
        {r.at.slice(0, 10)} · {value} {words ? `(${r.flag}, ${words})` : ''}
      </Text>
    );
  }
  return (
    <Group
      gap={6}
      wrap="nowrap"
      px={4}
      style={{ backgroundColor: 'var(--mantine-color-red-1)', borderLeft: '4px solid var(--mantine-color-red-8)' }}
      data-testid="face-critical-result"
    >
      <Badge color="red.8" variant="filled" size="sm">
        Critical
      </Badge>
      <Text size="sm" fw={700} c="red.9">
        {r.at.slice(0, 10)} · {value} ({r.flag}, {words}){r.acknowledged ? '' : ' · not yet reviewed'}
      </Text>
    </Group>
  );
}

const ARROW = { up: '↑', down: '↓', steady: '→' } as const;

/** The face sheet: what a clinician scans before walking into the room. */
export function FaceSheet({ summary }: { summary: ChartSummary }): ReactElement {
  // A critical value nobody has acknowledged is the first thing on the page, in words and in red.
  const unreviewed = summary.recentResults.filter((r) => r.severity === 'critical' && !r.acknowledged);
  return (
    <Stack gap="md" data-testid="face-sheet">
      {unreviewed.length > 0 && (
        <Alert color="red" variant="light" title={`Critical result${unreviewed.length === 1 ? '' : 's'} not yet reviewed`} data-testid="face-critical">
          {unreviewed.map((r) => (
            <Text key={r.id} size="sm" fw={700}>
              {r.display} {withUnit(r.value, r.unit)} ({r.flag}, {flagWords(r.flag)}) collected {r.at.slice(0, 10)}
            </Text>
          ))}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={5}>Active problems</Title>
          {summary.problems.length === 0 ? (
            <Text c="dimmed" size="sm">
              None recorded
            </Text>
          ) : (
            summary.problems.map((p) => (
              <Text key={p.id} size="sm">
                <b>{p.icd10}</b> {p.display}
              </Text>
            ))
          )}
        </Card>
        <Card withBorder>
          {/* A patient who died: the list as it was, not a list of current reminders. */}
          <Title order={5}>{summary.patient.deceasedOn ? `Medications at death (${summary.patient.deceasedOn})` : 'Medications'}</Title>
          {summary.medications.length === 0 ? (
            <Text c="dimmed" size="sm">
              None recorded
            </Text>
          ) : (
            summary.medications.map((m) => (
              <Text key={m.courseId} size="sm">
                {m.drugName} {m.dose ?? ''} {m.route ?? ''} {m.frequency ?? ''}
              </Text>
            ))
          )}
        </Card>
        <Card withBorder>
          <Title order={5}>Allergies</Title>
          {summary.allergyStatus.kind === 'unknown' && (
            <Text c="orange" size="sm">
              Not reviewed
            </Text>
          )}
          {summary.allergyStatus.kind === 'nka' && <Text size="sm">No known allergies</Text>}
          {summary.allergies
            .filter((a) => a.kind === 'allergy')
            .map((a) => (
              <Text key={a.id} size="sm">
                <b>{a.substance}</b> {a.reactions.join(', ')}{' '}
                {a.criticality === 'high' && (
                  <Badge size="xs" color="red">
                    high
                  </Badge>
                )}
              </Text>
            ))}
        </Card>
        <Card withBorder>
          <Title order={5}>Last vitals</Title>
          <Table verticalSpacing={2}>
            <Table.Tbody>
              {summary.lastVitals.map((v) => (
                <Table.Tr key={v.kind}>
                  <Table.Td>
                    <Text size="sm">{v.display}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={600} c={v.flag && v.flag !== 'N' ? 'red.8' : undefined} data-testid={`face-vital-${v.kind}`}>
                      {displayQuantity({ loinc: v.loinc, value: v.value, unit: v.unit })} {v.flag && v.flag !== 'N' ? `(${v.flag})` : ''}{' '}
                      {v.trend && ARROW[v.trend]}
                    </Text>
                    <AssessmentNote a={v.assessment} testId={`face-assessment-${v.kind}`} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {v.at.slice(0, 10)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {summary.lastVitals.length === 0 && (
            <Text c="dimmed" size="sm">
              None recorded
            </Text>
          )}
        </Card>
        <Card withBorder>
          <Title order={5}>Immunizations due</Title>
          {summary.immunizationsDue.length === 0 ? (
            <Text c="dimmed" size="sm">
              Nothing due today
            </Text>
          ) : (
            summary.immunizationsDue.map((d) => (
              <Group key={d.seriesId} gap="xs">
                <Badge size="xs" color={d.status === 'overdue' ? 'red' : 'orange'}>
                  {d.status}
                </Badge>
                <Text size="sm">{d.series}</Text>
              </Group>
            ))
          )}
        </Card>
        <Card withBorder>
          <Title order={5}>Recent notes and results</Title>
          <Stack gap={2}>
            {summary.recentNotes.map((n) => (
              <Text key={n.id} size="sm">
                {n.at.slice(0, 10)} · {n.title}{' '}
                <Badge size="xs" variant="light">
                  {n.status.replace(/_/g, ' ')}
                </Badge>
              </Text>
            ))}
            {summary.recentResults.map((r) => (
              <ResultLine key={r.id} r={r} />
            ))}
            {summary.recentNotes.length + summary.recentResults.length === 0 && (
              <Text c="dimmed" size="sm">
                None yet
              </Text>
            )}
          </Stack>
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
