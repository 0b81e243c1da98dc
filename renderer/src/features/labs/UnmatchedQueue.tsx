import { Alert, Badge, Button, Card, Group, Loader, Select, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import type { UnmatchedItem } from '../../../../shared/domain/lab-review';
import type { SearchHit } from '../../../../shared/domain/patient';
import { api } from '../../lib/api';
import { useLabs } from './labs.store';
import { when } from './values';

function hitLabel(h: SearchHit): string {
  const name = `${h.familyName}, ${h.givenName}`;
  return h.restricted ? `${name} (restricted)` : `${name} · born ${h.birthDate} · MRN ${h.mrn}`;
}

/** One held message: what its PID says, and a patient search to attach its results to a chart. */
function QueuedMessage({ item, onDone }: { item: UnmatchedItem; onDone: (error: string | null) => void }): ReactElement {
  const [query, setQuery] = useState(item.familyName);
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [chosen, setChosen] = useState<string | null>(null);
  useEffect(() => {
    const q = query.trim();
    const t = setTimeout(() => (q.length < 2 ? setHits([]) : void api['patients.search']({ query: q }).then((r) => r.ok && setHits(r.value))), 200);
    return () => clearTimeout(t);
  }, [query]);
  const attach = async (): Promise<void> => {
    if (!chosen) return;
    const r = await api['labs.matchToPatient']({ reviewId: item.reviewId, patientId: chosen });
    onDone(r.ok ? null : r.error.message);
  };
  return (
    <Card withBorder data-testid="unmatched-item">
      <Group justify="space-between">
        <Text fw={700}>
          {item.familyName || '(no family name)'}, {item.givenName || '(no given name)'} · born {item.birthDate || 'unknown'} · {item.sex || 'sex not given'}
        </Text>
        <Badge color={item.kind === 'ambiguous' ? 'orange' : 'gray'}>{item.kind}</Badge>
      </Group>
      <Text size="sm">Identifiers: {item.identifiers.join('; ') || 'none'}</Text>
      <Text size="sm">
        {carries(item.messageType, item.results)} · {item.messageType} {item.controlId} from {item.sendingFacility || 'unknown facility'} · received{' '}
        {when(item.receivedAt)}
      </Text>
      <Text size="sm" c="dimmed">
        {item.reason}
      </Text>
      <Group align="end" mt="sm">
        <Select
          label="Find the patient"
          searchable
          searchValue={query}
          onSearchChange={setQuery}
          data={hits.map((h) => ({ value: h.id, label: hitLabel(h) }))}
          value={chosen}
          onChange={setChosen}
          filter={({ options }) => options}
          nothingFoundMessage="No patient found"
          w={460}
          data-testid="unmatched-patient-search"
        />
        <Button disabled={!chosen} onClick={() => void attach()} data-testid="attach-to-patient">
          Attach to this patient
        </Button>
      </Group>
    </Card>
  );
}

/** What a held message brings, in words: results, immunizations, a hospital notice, new demographics, a referral. */
function carries(type: string, results: number): string {
  if (type.startsWith('VXU')) return 'immunizations';
  if (type === 'ADT^A01') return 'an admission notice';
  if (type === 'ADT^A03') return 'a discharge notice';
  if (type.startsWith('ADT')) return 'a demographics update';
  if (type.startsWith('REF')) return 'a referral';
  return `${results} result${results === 1 ? '' : 's'}`;
}

/**
 * Messages that matched no chart (or several): results, immunizations from a registry, hospital
 * notices, demographic updates and incoming referrals, held until a person says whose they are.
 */
export function UnmatchedQueue(): ReactElement {
  const [items, setItems] = useState<UnmatchedItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refreshInbox = useLabs((s) => s.refresh);
  const load = useCallback(() => void api['labs.unmatched']({}).then((r) => (r.ok ? setItems(r.value) : setError(r.error.message))), []);
  useEffect(load, [load]);
  const done = (e: string | null): void => {
    setError(e);
    load();
    void refreshInbox();
  };
  if (!items) return error ? <Alert color="red">{error}</Alert> : <Loader />;
  return (
    <Stack data-testid="unmatched-queue">
      <Group gap="xs">
        <Title order={3}>Unmatched messages</Title>
        <Badge variant="light" color={items.length > 0 ? 'orange' : 'gray'}>
          {items.length}
        </Badge>
      </Group>
      <Text size="sm" c="dimmed">
        Results, immunizations, hospital notices, demographic updates and referrals that matched no chart, or more than one: choose whose each is. Nothing is
        attached to a guess.
      </Text>
      {error && <Alert color="red">{error}</Alert>}
      {items.length === 0 ? (
        <Text c="dimmed">Every received message is on a chart.</Text>
      ) : (
        items.map((i) => <QueuedMessage key={i.reviewId} item={i} onDone={done} />)
      )}
    </Stack>
  );
}
