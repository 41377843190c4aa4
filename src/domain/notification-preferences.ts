/**
 * How a staff member hears about each kind of notification: in the app, by email, or by email
 * gathered into one daily digest. A user's own choice wins over the MSP's defaults, which win
 * over ours. External parties (the client, the new provider) always get email.
 */
import { z } from 'zod';
import type { NotificationKind } from './escalation.ts';
import type { AnnouncementKind } from './messages.ts';

export type StaffNotificationKind = NotificationKind | AnnouncementKind;
export const STAFF_NOTIFICATION_KINDS = [
  'reminder',
  'overdue',
  'escalation',
  'gate-reminder',
  'gate-escalation',
  'rotation-reminder',
  'change-reminder',
  'internal-notification',
  'termination-acknowledgement',
] as const satisfies readonly StaffNotificationKind[];
export const STAFF_CHANNELS = ['in-app', 'email'] as const;
export type StaffChannel = (typeof STAFF_CHANNELS)[number];

export const PreferencesSchema = z
  .object({
    /** Channels per kind; an empty list silences that kind for this person (escalations excepted: they always reach the app). */
    channels: z
      .partialRecord(
        z.enum(STAFF_NOTIFICATION_KINDS),
        z
          .array(z.enum(STAFF_CHANNELS))
          .max(2)
          .refine((c) => new Set(c).size === c.length, 'must not repeat a channel'),
      )
      .optional(),
    /** Gather reminder emails into one email a day instead of one per notification. */
    digest: z.boolean().optional(),
  })
  .strict();
export type Preferences = z.output<typeof PreferencesSchema>;

export const DEFAULT_CHANNELS: Record<StaffNotificationKind, StaffChannel[]> = {
  reminder: ['in-app'],
  overdue: ['in-app', 'email'],
  escalation: ['in-app', 'email'],
  'gate-reminder': ['in-app'],
  'gate-escalation': ['in-app', 'email'],
  // The technician changes credentials on the day: the email says so in time.
  'rotation-reminder': ['in-app', 'email'],
  'change-reminder': ['in-app'],
  'internal-notification': ['in-app', 'email'],
  'termination-acknowledgement': ['in-app'],
};

/** Kinds a digest may hold back until the day's digest; escalations and announcements go at once. */
const DIGESTIBLE = new Set<StaffNotificationKind>(['reminder', 'overdue', 'gate-reminder', 'change-reminder']);

export type StaffRouting = { inApp: boolean; email: 'now' | 'digest' | null };

export function routeFor(kind: StaffNotificationKind, tenant: Preferences | undefined, user: Preferences | undefined): StaffRouting {
  const channels = user?.channels?.[kind] ?? tenant?.channels?.[kind] ?? DEFAULT_CHANNELS[kind];
  const escalation = kind === 'escalation' || kind === 'gate-escalation';
  const email = channels.includes('email');
  const digest = (user?.digest ?? tenant?.digest ?? false) && DIGESTIBLE.has(kind);
  return { inApp: channels.includes('in-app') || escalation, email: email ? (digest ? 'digest' : 'now') : null };
}
