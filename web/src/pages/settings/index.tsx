/**
 * The MSP's settings, one section per URL (/settings/people, /settings/email, ...). Admins change
 * them; managers read them; the sections a role may not see are not offered.
 */
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useCan } from '../../session.tsx';
import { Page } from '../../ui/page.tsx';
import { Calendars } from './calendars.tsx';
import { Channels } from './channels.tsx';
import { Deliveries } from './deliveries.tsx';
import { DocumentationPlatforms } from './documentation.tsx';
import { Email } from './email.tsx';
import { TransparencyLog, Witnesses } from './log.tsx';
import { People } from './people.tsx';
import { PsaConnections } from './psa.tsx';
import { Tokens } from './tokens.tsx';
import { WebhookLog } from './webhooks.tsx';

import { SETTINGS_SECTIONS, type SettingsSection } from './sections.ts';

const TITLES: Record<SettingsSection, string> = {
  people: 'People',
  calendars: 'Calendars and holidays',
  email: 'Email',
  channels: 'Team channels',
  psa: 'PSA connections',
  documentation: 'Documentation platforms',
  deliveries: 'Delivery log',
  webhooks: 'Webhook log',
  log: 'Signed audit log',
  witnesses: 'Witnesses',
  tokens: 'API tokens',
};

export function Settings({ section }: { section: SettingsSection | 'unknown' | undefined }) {
  const can = useCan();
  if (!can('settings.read'))
    return (
      <Page title="Settings">
        <p className="note">Settings are for admins, and managers may read them.</p>
      </Page>
    );
  const edit = can('settings.write');
  const offered = SETTINGS_SECTIONS.filter((s) => s !== 'tokens' || can('tokens.read'));
  const current = section === undefined ? 'people' : section;
  const body: Record<SettingsSection, () => ReactNode> = {
    people: () => <People />,
    calendars: () => <Calendars canEdit={edit} />,
    email: () => <Email canEdit={edit} />,
    channels: () => <Channels canEdit={edit} />,
    psa: () => <PsaConnections canEdit={edit} />,
    documentation: () => <DocumentationPlatforms canEdit={edit} />,
    deliveries: () => <Deliveries />,
    webhooks: () => <WebhookLog />,
    log: () => <TransparencyLog />,
    witnesses: () => <Witnesses canEdit={edit} />,
    tokens: () => <Tokens />,
  };
  return (
    <Page title={current === 'unknown' ? 'Settings' : `Settings: ${TITLES[current]}`}>
      {!edit ? <p className="note">You can read the settings; admins change them.</p> : null}
      <div className="settings">
        <nav aria-label="Settings sections" className="settings-nav">
          <ul>
            {offered.map((s) => (
              <li key={s}>
                <Link to="/settings/$section" params={{ section: s }} aria-current={s === current ? 'page' : undefined}>
                  {TITLES[s]}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="settings-body">
          {current === 'unknown' || !offered.includes(current) ? <p>There is no such section.</p> : body[current]()}
        </div>
      </div>
    </Page>
  );
}
