import { Alert, Button, Group, Select, TextInput } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { ClaimView } from '../../../../shared/domain/billing/model';
import { api } from '../../lib/api';

type Action = 'replace' | 'void' | 'resubmit';

/** What may be done to a claim in each status: a sent claim is replaced or voided, a refused one resubmitted. */
function actionsFor(status: ClaimView['status']): { value: Action; label: string }[] {
  if (status === 'rejected' || status === 'denied') return [{ value: 'resubmit', label: 'Resubmit (corrected)' }];
  if (['submitted', 'accepted', 'paid', 'partially_paid'].includes(status))
    return [
      { value: 'replace', label: 'Replacement claim (frequency 7)' },
      { value: 'void', label: 'Void claim (frequency 8)' },
    ];
  return [];
}

/** Correct, void or resubmit a claim, saying what was corrected (kept in the claim's history). */
export function ClaimCorrect({ claim, onDone }: { claim: ClaimView; onDone: (c: ClaimView) => void }): ReactElement | null {
  const actions = actionsFor(claim.status);
  const [action, setAction] = useState<Action | null>(actions[0]?.value ?? null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (actions.length === 0) return null;
  const run = async (): Promise<void> => {
    if (!action) return;
    const r = await api['billing.correct']({ claimId: claim.id, action, note });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setNote('');
    onDone(r.value);
  };
  return (
    <>
      <Group align="flex-end" data-testid="claim-correct">
        <Select label="Correction" data={actions} value={action} onChange={setAction} allowDeselect={false} w={260} />
        <TextInput
          label="What was corrected"
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          style={{ flex: 1 }}
          data-testid="claim-correct-note"
        />
        <Button variant="light" onClick={() => void run()} data-testid="claim-correct-submit">
          Apply
        </Button>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
    </>
  );
}
