import { Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type ReactElement } from 'react';
import { api } from '../../lib/api';

/** The folder this device watches for the scanner's or fax software's files. */
export function WatchedFolder(): ReactElement {
  const [dir, setDir] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(
    () =>
      void api['documents.inboxSettings']({}).then((r) => {
        if (!r.ok) return setError(r.error.message);
        setDir(r.value.dir);
        setTyped(r.value.dir ?? '');
      }),
    [],
  );
  const save = async (next: string | null): Promise<void> => {
    setSaved(false);
    const r = await api['documents.setInboxSettings']({ dir: next });
    if (!r.ok) return setError(r.error.issues?.[0]?.message ?? r.error.message);
    setError(null);
    setDir(r.value.dir);
    setTyped(r.value.dir ?? '');
    setSaved(true);
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="watched-folder-heading" data-testid="watched-folder">
      <Stack gap="xs">
        <Title order={2} size="h4" id="watched-folder-heading">
          Watched folder
        </Title>
        <Text size="sm" data-testid="watched-folder-now">
          {dir ? `This computer takes in every file the scanner or fax software saves in ${dir}.` : 'No folder is watched on this computer.'}
        </Text>
        <Group align="end">
          <TextInput
            label="Scan or fax folder"
            description="The folder the scanner or fax software saves into, on this computer"
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
            error={error}
            w={460}
            data-testid="watched-folder-input"
          />
          <Button variant="default" onClick={() => void save(typed.trim() || null)} data-testid="watched-folder-save">
            Watch this folder
          </Button>
          {dir && (
            <Button variant="subtle" color="gray" onClick={() => void save(null)}>
              Stop watching
            </Button>
          )}
        </Group>
        {saved && (
          <Text size="sm" c="green.9" role="status">
            Saved.
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
