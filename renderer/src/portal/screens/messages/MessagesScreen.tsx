import { Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactElement } from 'react';
import { portalApi } from '../../api/portal-api';
import { Loaded } from '../../components/Loaded';
import { ScreenTitle } from '../../components/ScreenTitle';
import { useLoad } from '../../components/use-load';
import { useI18n } from '../../i18n/use-i18n';
import { href } from '../../router';
import { unreadThreads } from '../../state/seen';
import { usePortal } from '../../state/portal.store';

/** The conversations with the care team, newest first, each marked new when it has messages not yet opened here. */
export function MessagesScreen({ patientId }: { patientId: string }): ReactElement {
  const { t, fmt } = useI18n();
  const accountId = usePortal((s) => s.session?.account.id ?? '');
  const threads = useLoad(`threads:${patientId}`, () => portalApi.threads(patientId));
  return (
    <>
      <ScreenTitle>{t('msg.title')}</ScreenTitle>
      <Button component="a" href={href({ name: 'newMessage' })} mb="md">
        {t('msg.new')}
      </Button>
      <Loaded load={threads}>
        {(list) => {
          if (list.length === 0) return <Text c="dimmed">{t('msg.none')}</Text>;
          const unread = unreadThreads(accountId, patientId, list);
          const sorted = [...list].sort((a, b) => b.lastMessageAt.localeCompare(a.lastMessageAt));
          return (
            <Stack component="ul" gap="sm" p={0} style={{ listStyle: 'none' }} aria-label={t('msg.threads')}>
              {sorted.map((th) => (
                <Card component="li" key={th.id} withBorder padding="sm" data-testid="thread">
                  <Group justify="space-between" wrap="nowrap" align="flex-start">
                    <Title order={2} fz={17} style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
                      <a href={href({ name: 'thread', id: th.id })} style={{ color: 'inherit' }}>
                        {th.subject}
                      </a>
                    </Title>
                    <Group gap={4} wrap="nowrap">
                      {unread.has(th.id) && (
                        <Badge color="blue" variant="filled" tt="none">
                          {t('msg.unread')}
                        </Badge>
                      )}
                      <Badge color={th.status === 'open' ? 'teal' : 'gray'} variant="light" tt="none">
                        {t(th.status === 'open' ? 'msg.open' : 'msg.closed')}
                      </Badge>
                    </Group>
                  </Group>
                  <Text size="sm">
                    {t('msg.last', { date: fmt.dateTime(th.lastMessageAt) })} · {th.messages === 1 ? t('msg.countOne') : t('msg.count', { n: th.messages })}
                  </Text>
                </Card>
              ))}
            </Stack>
          );
        }}
      </Loaded>
    </>
  );
}
