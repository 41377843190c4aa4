/** The settings sections, each at /settings/<section> (kept apart so the router knows them without loading the screens). */
export const SETTINGS_SECTIONS = [
  'people',
  'calendars',
  'email',
  'channels',
  'psa',
  'documentation',
  'deliveries',
  'webhooks',
  'log',
  'witnesses',
  'tokens',
] as const;
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number];
