import { Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useMemo, type ReactElement } from 'react';
import type { ResultFlag, ResultView } from '../../../../../shared/api/portal-http';
import { unitLabel } from '../../../../../shared/domain/display-units';
import { portalApi } from '../../api/portal-api';
import { Loaded } from '../../components/Loaded';
import { ScreenTitle } from '../../components/ScreenTitle';
import { Section } from '../../components/Section';
import { useLoad } from '../../components/use-load';
import { useI18n } from '../../i18n/use-i18n';
import { markResultsSeen, newResults } from '../../state/seen';
import { usePortal } from '../../state/portal.store';

/** Colour only repeats what the words say (WCAG 1.4.1): the flag is always written out. */
const FLAG_COLOR: Record<ResultFlag, string> = {
  normal: 'teal',
  high: 'orange',
  low: 'orange',
  abnormal: 'orange',
  critical_high: 'red',
  critical_low: 'red',
  unknown: 'gray',
};

/** Released results with value, unit, normal range and the flag in plain words; then everything released, with its time. */
export function ResultsScreen({ patientId }: { patientId: string }): ReactElement {
  const { t } = useI18n();
  const accountId = usePortal((s) => s.session?.account.id ?? '');
  const results = useLoad(`results:${patientId}`, () => portalApi.results(patientId));
  const released = useLoad(`released:${patientId}`, () => portalApi.released(patientId));
  // "New" is what was new when the screen opened; from now on these count as seen.
  const fresh = useMemo(
    () => new Set(results.data ? newResults(accountId, patientId, results.data).map((r) => r.id) : []),
    [results.data, accountId, patientId],
  );
  useEffect(() => {
    if (results.data) markResultsSeen(accountId, patientId, results.data);
  }, [results.data, accountId, patientId]);
  return (
    <>
      <ScreenTitle>{t('results.title')}</ScreenTitle>
      <Text>{t('results.intro')}</Text>
      <Section title={t('results.yours')} testId="results-list">
        <Loaded load={results}>
          {(list) =>
            list.length === 0 ? (
              <Text c="dimmed">{t('results.none')}</Text>
            ) : (
              <Stack component="ul" gap="sm" p={0} style={{ listStyle: 'none' }}>
                {list.map((r) => (
                  <ResultCard key={r.id} r={r} isNew={fresh.has(r.id)} />
                ))}
              </Stack>
            )
          }
        </Loaded>
      </Section>
      <Section title={t('results.released')} testId="released-list">
        <Text mb="xs">{t('results.releasedIntro')}</Text>
        <Loaded load={released}>
          {(items) =>
            items.length === 0 ? (
              <Text c="dimmed">{t('results.none')}</Text>
            ) : (
              <Table.ScrollContainer minWidth={320}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('results.what')}</Table.Th>
                      <Table.Th scope="col">{t('results.kind')}</Table.Th>
                      <Table.Th scope="col">{t('results.when')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.map((i) => (
                      <ReleasedRow key={`${i.kind}:${i.id}`} title={i.title} kind={i.kind} at={i.releasedAt} />
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )
          }
        </Loaded>
      </Section>
    </>
  );
}

function ReleasedRow({ title, kind, at }: { title: string; kind: 'result' | 'visit_summary'; at: string }): ReactElement {
  const { t, fmt } = useI18n();
  return (
    <Table.Tr>
      <Table.Td>{title}</Table.Td>
      <Table.Td>{t(`released.${kind}`)}</Table.Td>
      <Table.Td>{fmt.dateTime(at)}</Table.Td>
    </Table.Tr>
  );
}

function ResultCard({ r, isNew }: { r: ResultView; isNew: boolean }): ReactElement {
  const { t, fmt } = useI18n();
  const unit = unitLabel(r.unit);
  return (
    <Card component="li" withBorder padding="md" data-testid="result" data-flag={r.flag}>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
        <Title order={3} fz={18}>
          {r.name}
        </Title>
        {isNew && (
          <Badge color="blue" variant="light">
            {t('results.new')}
          </Badge>
        )}
      </Group>
      <Text fz={24} fw={700} mt={4}>
        {r.value}
        {unit ? ` ${unit}` : ''}
      </Text>
      <Badge color={FLAG_COLOR[r.flag]} variant="light" size="lg" tt="none" mt={4} style={{ whiteSpace: 'normal', height: 'auto' }} py={4}>
        {t(`flag.${r.flag}`)}
      </Badge>
      <Text size="sm" mt="xs">
        {r.referenceRange ? t('results.range', { range: r.referenceRange }) : t('results.noRange')}
      </Text>
      <Text size="sm">
        {t('results.taken', { date: fmt.dateTime(r.effectiveAt) })} · {t('results.releasedOn', { date: fmt.dateTime(r.releasedAt) })}
      </Text>
    </Card>
  );
}
