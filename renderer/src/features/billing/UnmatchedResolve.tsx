import { Alert, Button, Group, TextInput } from '@mantine/core';
import { useEffect, useState, type FormEvent, type ReactElement } from 'react';
import type { Out } from '../../../../shared/api/contract';
import type { CairnError } from '../../../../shared/api/result';
import { formatCents } from '../../../../shared/domain/money';
import { api } from '../../lib/api';
import { STATUS_LABELS } from './labels';

export type UnmatchedItem = Out<'billing.unmatched'>[number];
type ClaimItem = Out<'billing.claims'>[number];
export type ResolveMode = 'match' | 'close';
type Errors = { claim?: string; note?: string; form?: string };

/** Claim numbers are upper-case letters and digits; a biller may type them in lower case or with spaces around. */
const normalize = (s: string): string => s.trim().toUpperCase();

/** A backend refusal onto the field it is about: the note's own issues, the claim's conflicts, or the form. */
function errorsFrom(e: CairnError, mode: ResolveMode): Errors {
  const note = e.issues?.find((i) => i.path === 'note')?.message;
  if (note) return { note };
  if (mode === 'match' && (e.code === 'conflict' || e.code === 'not_found')) return { claim: e.message };
  return { form: e.message };
}

/** The claims worklist (every status), loaded once when the biller opens a match, to find the claim by its number. */
function useAllClaims(enabled: boolean): { claims: ClaimItem[] | null; loadError: string | null } {
  const [claims, setClaims] = useState<ClaimItem[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  useEffect(() => {
    if (!enabled) return;
    void api['billing.claims']({}).then((r) => (r.ok ? setClaims(r.value) : setLoadError(r.error.message)));
  }, [enabled]);
  return { claims, loadError };
}

function claimSummary(c: ClaimItem): string {
  return `${c.patientName} · service ${c.serviceDate} · ${formatCents(c.totalCents)} charged · ${STATUS_LABELS[c.status]}`;
}

/**
 * Settles one unmatched ERA payment: posts it to the claim whose number the biller types (as Cairn
 * printed it), or closes it with the reason. Both need a note: it goes into the audit trail.
 */
export function UnmatchedResolve(props: { u: UnmatchedItem; mode: ResolveMode; onCancel: () => void; onDone: (message: string) => void }): ReactElement {
  const { u, mode, onCancel, onDone } = props;
  const { claims, loadError } = useAllClaims(mode === 'match');
  const [number, setNumber] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const found = claims?.find((c) => c.claimNumber.toUpperCase() === normalize(number)) ?? null;

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (mode === 'match' && !found) {
      const typed = normalize(number);
      const claim = !typed
        ? 'type the claim number as Cairn printed it'
        : claims
          ? `no claim has the number ${typed}: copy it from the patient's claims`
          : (loadError ?? 'the claims are still loading');
      return setErrors({ claim });
    }
    setBusy(true);
    const r = await api['billing.resolveUnmatched']({ id: u.id, note, ...(found && { claimId: found.id }) });
    setBusy(false);
    if (!r.ok) return setErrors(errorsFrom(r.error, mode));
    onDone(
      r.value.claimNumber
        ? `Posted the ${formatCents(u.paidCents)} payment from ${u.payerName} to claim ${r.value.claimNumber}.`
        : `Closed the ${formatCents(u.paidCents)} payment from ${u.payerName} under ${u.patientControlNumber}.`,
    );
  };

  const what = `the ${formatCents(u.paidCents)} payment under ${u.patientControlNumber}`;
  return (
    <form
      noValidate
      onSubmit={(e) => void submit(e)}
      aria-label={mode === 'match' ? `Match ${what} to a claim` : `Close ${what}`}
      data-testid={`unmatched-${mode}-form`}
    >
      <Group align="flex-start" wrap="wrap">
        {mode === 'match' && (
          <TextInput
            label="Claim number"
            required
            value={number}
            onChange={(ev) => {
              setNumber(ev.currentTarget.value);
              // A refusal was about the number typed before.
              setErrors((e) => ({ ...e, claim: undefined }));
            }}
            description={found ? claimSummary(found) : 'As Cairn printed it on the claim, e.g. from the patient’s claims'}
            error={errors.claim}
            w={340}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            data-testid="unmatched-claim-number"
          />
        )}
        <TextInput
          label={mode === 'match' ? 'Note' : 'Reason for closing'}
          required
          value={note}
          onChange={(ev) => setNote(ev.currentTarget.value)}
          description={
            mode === 'match' ? 'Why it belongs to this claim (kept in the claim’s history)' : 'e.g. a payment for another practice, returned to the payer'
          }
          error={errors.note}
          style={{ flex: 1 }}
          miw={260}
          data-testid="unmatched-note"
        />
      </Group>
      {errors.form && (
        <Alert color="red" mt="xs">
          {errors.form}
        </Alert>
      )}
      <Group gap="xs" mt="xs">
        <Button type="submit" size="xs" loading={busy} data-testid="unmatched-submit">
          {mode === 'match' ? 'Post to this claim' : 'Close the payment'}
        </Button>
        <Button size="xs" variant="default" onClick={onCancel}>
          Cancel
        </Button>
      </Group>
    </form>
  );
}
