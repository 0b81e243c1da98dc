import { Alert, Button, Group, Radio, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState, type ReactElement } from 'react';
import { ADULT_BP_GUIDELINE_LABELS, ADULT_BP_GUIDELINES, type AdultBpGuidelineName } from '../../../../shared/domain/growth-view';
import { api } from '../../lib/api';

/** The adult blood pressure guideline this device's categories and flags follow; children always follow AAP 2017. */
export function BpGuidelineSetting(): ReactElement {
  const [value, setValue] = useState<AdultBpGuidelineName | null>(null);
  const [saved, setSaved] = useState<AdultBpGuidelineName | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(
    () =>
      void api['settings.bloodPressure']({}).then((r) =>
        r.ok ? (setValue(r.value.adultGuideline), setSaved(r.value.adultGuideline)) : setError(r.error.message),
      ),
    [],
  );
  return (
    <Stack gap="xs" data-testid="bp-guideline">
      <Title order={4}>Adult blood pressure categories</Title>
      <Text size="sm" c="dimmed">
        Children and adolescents are judged by AAP 2017 (by age, sex and height percentile). Quality measures keep their own thresholds. Kept on this device.
      </Text>
      <Radio.Group value={value ?? ''} onChange={(v) => setValue(v as AdultBpGuidelineName)} aria-label="Adult blood pressure guideline">
        <Stack gap={4}>
          {ADULT_BP_GUIDELINES.map((g) => (
            <Radio key={g} value={g} label={ADULT_BP_GUIDELINE_LABELS[g]} data-testid={`bp-guideline-${g}`} />
          ))}
        </Stack>
      </Radio.Group>
      <Group>
        <Button
          variant="light"
          disabled={value === null || value === saved}
          onClick={() =>
            void api['settings.setBloodPressure']({ adultGuideline: value! }).then((r) =>
              r.ok ? (setSaved(r.value.adultGuideline), setError(null)) : setError(r.error.message),
            )
          }
          data-testid="bp-guideline-save"
        >
          Save guideline
        </Button>
        {saved && value === saved && (
          <Text size="sm" data-testid="bp-guideline-saved">
            Following {ADULT_BP_GUIDELINE_LABELS[saved]}
          </Text>
        )}
      </Group>
      {error && <Alert color="red">{error}</Alert>}
    </Stack>
  );
}
