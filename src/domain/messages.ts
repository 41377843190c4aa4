/** The words of each notification: plain language, the client, the task, the due date, a link. */
import { describeRecipient, type Notification } from './escalation.ts';

/** `link`: the task in the staff app; `portalLink`: the portal's sign-in page, for the client and the new provider. */
export type MessageContext = {
  clientName: string;
  taskTitle: string;
  link: string;
  portalLink?: string | undefined;
  verifierKey?: string | undefined;
};

/** Every email to the client ends with the key that verifies the MSP's signed log. */
export function verifierKeyFooter(verifierKey: string | undefined): string {
  if (!verifierKey) return '';
  return `\n\nEvery step of this offboarding is recorded in our signed, append-only log. Keep this verifier key: with it, anyone can check the evidence we give you, offline and without trusting us:\n${verifierKey}`;
}

export function messageFor(n: Notification, ctx: MessageContext): { subject: string; body: string } {
  const task = `"${ctx.taskTitle}" for ${ctx.clientName}`;
  const open = `Open it: ${ctx.link}`;
  switch (n.kind) {
    case 'reminder':
      return {
        subject: `Reminder: ${ctx.taskTitle} (${ctx.clientName}) is ${n.reason.startsWith('due today') ? 'due today' : `due ${n.due}`}`,
        body: `${task} is ${n.reason}.\n\n${open}`,
      };
    case 'overdue':
      return {
        subject: `Overdue: ${ctx.taskTitle} (${ctx.clientName})`,
        body: `${task} is ${n.reason}. Please finish it or tell your manager what blocks it.\n\n${open}`,
      };
    case 'escalation':
      return {
        subject: `Escalation: ${ctx.taskTitle} (${ctx.clientName}) is ${n.overdueBusinessDays ?? 0} business days overdue`,
        body: `${task}, assigned to the ${n.assigneeRole}, is ${n.reason}. You are receiving this as the ${describeRecipient(n.recipient)}.\n\n${open}`,
      };
    case 'gate-reminder':
      // To the client or the new provider: they act in the portal, never on a staff page.
      return {
        subject: `Waiting on you: ${ctx.taskTitle} (${ctx.clientName})`,
        body: `Before we can finish ${task} we need ${n.reason.replace(/^waiting since \S+ for /, '')}.\n\nSign in to the hand-over portal to read it and sign: ${ctx.portalLink ?? ctx.link}${verifierKeyFooter(ctx.verifierKey)}`,
      };
    case 'gate-escalation':
      return {
        subject: `Still waiting: ${ctx.taskTitle} (${ctx.clientName})`,
        body: `${task} is ${n.reason}. You are receiving this as the ${describeRecipient(n.recipient)}.\n\n${open}`,
      };
    case 'rotation-reminder':
      return {
        subject: `Change credentials before handing them over: ${ctx.clientName}`,
        body: `${task}: ${n.reason}. Change each one at its system right before the transfer, not earlier, and record the new secret in the vault.\n\n${open}`,
      };
    case 'change-reminder':
      // To the recipient: until they change them, the MSP still knows these secrets.
      return {
        subject: `Please change the credentials we handed over (${ctx.clientName})`,
        body: `${n.reason.replace(/ \(reminder \d+\)$/, '')}. Until you change them, we at the MSP still know these secrets. Change each one, then confirm it in the hand-over portal: ${ctx.portalLink ?? ctx.link}${verifierKeyFooter(ctx.verifierKey)}`,
      };
  }
}

/** The two messages sent when an offboarding opens: to the departing client, and to the MSP's team. */
export const ANNOUNCEMENT_KINDS = ['termination-acknowledgement', 'internal-notification'] as const;
export type AnnouncementKind = (typeof ANNOUNCEMENT_KINDS)[number];

export type AnnouncementContext = {
  clientName: string;
  mspName: string;
  accountManager?: { name: string; email: string } | undefined;
  noticeDate: string;
  endDate: string;
  revocationDate: string;
  newProvider?: string | undefined;
  /** Whether the plan asks the client for a written authorization naming the new provider. */
  needsAuthorization: boolean;
  tasks: number;
  /** The first tasks due, for the team's message. */
  firstDue: readonly { title: string; due: string; assignee: string }[];
  link: string;
  verifierKey?: string | undefined;
};

export function announcementFor(kind: AnnouncementKind, ctx: AnnouncementContext): { subject: string; body: string } {
  switch (kind) {
    case 'termination-acknowledgement': {
      const contact = ctx.accountManager ? `${ctx.accountManager.name} (${ctx.accountManager.email})` : 'your account manager';
      const lines = [
        `Dear ${ctx.clientName},`,
        '',
        `We have received your notice and confirm that our services end on ${ctx.endDate}. We will make the handover orderly and complete, and nothing will be switched off without telling you first.`,
        '',
        'What happens next:',
        `- ${contact} is your single point of contact until the end.`,
        ctx.needsAuthorization
          ? `- Before we share any credentials or documentation with ${ctx.newProvider ?? 'your new provider'}, we need your written authorization naming them. We will send you the statement to confirm.`
          : '- We will share credentials and documentation only with you, or with a provider you authorize in writing.',
        `- Our access to your systems ends on ${ctx.revocationDate}; afterwards we verify it is really gone and tell you.`,
        '- You will receive a complete documentation package, and a completion report when we are done.',
        '',
        `Notice received: ${ctx.noticeDate}. Contract end: ${ctx.endDate}.`,
        '',
        `${ctx.mspName}`,
      ];
      return {
        subject: `We received your notice: offboarding of ${ctx.clientName} ends ${ctx.endDate}`,
        body: lines.join('\n') + verifierKeyFooter(ctx.verifierKey),
      };
    }
    case 'internal-notification': {
      const first = ctx.firstDue.map((t) => `- ${t.title}: due ${t.due} (${t.assignee})`);
      const lines = [
        `${ctx.clientName} is leaving. Notice ${ctx.noticeDate}, contract end ${ctx.endDate}, access revocation ${ctx.revocationDate}${ctx.newProvider ? `, new provider ${ctx.newProvider}` : ''}.`,
        '',
        `${ctx.tasks} tasks are planned and assigned. Nothing goes to the new provider before the client's written authorization is on file.`,
        '',
        'First due:',
        ...first,
        '',
        `Open it: ${ctx.link}`,
      ];
      return { subject: `Offboarding started: ${ctx.clientName} (ends ${ctx.endDate})`, body: lines.join('\n') };
    }
  }
}

/** One email a day instead of many: each held notification's subject and first paragraph. */
export function digestMessage(date: string, items: readonly { subject: string; body: string }[]): { subject: string; body: string } {
  const lines = items.map((i) =>
    `- ${i.subject}\n  ${i.body.split('\n\n')[0] ?? ''}\n  ${/Open it: \S+/.exec(i.body)?.[0] ?? ''}`.trimEnd(),
  );
  return {
    subject: `Your offboarding digest for ${date}: ${items.length} item${items.length === 1 ? '' : 's'}`,
    body: [`What needs you, gathered for ${date}:`, '', ...lines].join('\n'),
  };
}

/** The client's copy of the log at close: the signed checkpoint with the offboarding's head, to hold the MSP to this history. */
export function closingCheckpointMessage(ctx: {
  clientName: string;
  mspName: string;
  checkpoint: string;
  size: number;
  verifierKey: string;
  filename: string;
}): { subject: string; body: string } {
  const lines = [
    `Dear ${ctx.clientName},`,
    '',
    'Your offboarding is complete. Below, and attached as ' +
      `${ctx.filename}, is the signed checkpoint of our audit log as of today: a fingerprint of every step we recorded, for you and for every other client, up to entry ${ctx.size}, with the number of steps of your offboarding in it.`,
    '',
    'Please keep this email and its attachment. If you ever ask us for evidence of what we did, our evidence bundle must agree with this checkpoint; `offboard verify BUNDLE --key KEY --known-checkpoint FILE` checks that offline, with the attachment (or the text between the lines below, pasted into a file) as FILE.',
    '',
    '--- checkpoint ---',
    ctx.checkpoint.trimEnd(),
    '--- end of checkpoint ---',
    '',
    `Verifier key: ${ctx.verifierKey}`,
    '',
    ctx.mspName,
  ];
  return { subject: `Your offboarding record: signed checkpoint ${ctx.size} of ${ctx.mspName}'s audit log`, body: lines.join('\n') };
}

/** Where a portal link goes in an email body; the sender puts the link there and nowhere is it stored in clear. */
export const PORTAL_LINK_PLACEHOLDER = '{portal-link}';

export type PortalLinkContext = {
  partyName: string;
  side: 'client' | 'new-provider';
  clientName: string;
  mspName: string;
  /** Why the link was sent: a first invitation, or a link the person asked for. */
  reason: 'invitation' | 'requested';
  expiresOn: string;
};

/** The email that carries a sign-in link to the portal: plain words, the link, when it stops working. */
export function portalLinkMessage(ctx: PortalLinkContext): { subject: string; body: string } {
  const what =
    ctx.side === 'client'
      ? `${ctx.mspName} is handing over the IT of ${ctx.clientName}. In the portal you can follow each step, and sign what needs your signature.`
      : `${ctx.mspName} is handing over the IT of ${ctx.clientName} to you. In the portal you can see what the client authorized us to give you, and confirm what you received.`;
  const opening =
    ctx.reason === 'invitation'
      ? `Hello ${ctx.partyName},\n\n${what}`
      : `Hello ${ctx.partyName},\n\nHere is the sign-in link you asked for.`;
  return {
    subject:
      ctx.reason === 'invitation'
        ? `${ctx.mspName}: the hand-over of ${ctx.clientName}`
        : `Your sign-in link for ${ctx.clientName}'s hand-over`,
    body: `${opening}\n\nOpen the portal (the link works once, until ${ctx.expiresOn}):\n${PORTAL_LINK_PLACEHOLDER}\n\nIf it has stopped working, ask for a new one from the portal's sign-in page with this email address.\nIf you did not expect this email, you can ignore it.`,
  };
}

/** The copy the client receives whenever the new provider is let in: nothing reaches them that the client does not see. */
export function newProviderInvitedCopy(ctx: {
  clientName: string;
  mspName: string;
  providerName: string;
  personName: string;
  personEmail: string;
}): {
  subject: string;
  body: string;
} {
  return {
    subject: `Copy: ${ctx.providerName} was invited to the hand-over of ${ctx.clientName}`,
    body: `As you authorized, ${ctx.mspName} invited ${ctx.personName} <${ctx.personEmail}> of ${ctx.providerName} to the hand-over portal. They see only what your authorization covers, and you receive a copy of everything they receive.`,
  };
}

/**
 * One message of an offboarding's conversation, as each participant receives it by email: the same
 * text to all (the client reads exactly what the new provider reads), and where to answer.
 */
export function conversationMessage(ctx: {
  clientName: string;
  mspName: string;
  authorName: string;
  authorOrganization: string;
  body: string;
  portalUrl: string;
  participants: readonly string[];
}): { subject: string; body: string } {
  // A new provider's contact is often the provider itself: "Northwind IT", not "Northwind IT (Northwind IT)".
  const author = ctx.authorName === ctx.authorOrganization ? ctx.authorName : `${ctx.authorName} (${ctx.authorOrganization})`;
  return {
    subject: `${ctx.clientName} hand-over: message from ${author}`,
    body: [
      `${author} wrote in the conversation about the hand-over of ${ctx.clientName}:`,
      ctx.body,
      `Everyone in this conversation receives every message: ${ctx.participants.join(', ')}.`,
      `To answer, open the hand-over portal: ${ctx.portalUrl} (staff of ${ctx.mspName}: the offboarding in the app). Answers sent to this email are not read.`,
    ].join('\n\n'),
  };
}

/** The MSP's proposal to end its access early, as the client's signers receive it. */
export function earlyCutoverProposal(ctx: {
  clientName: string;
  mspName: string;
  personName: string;
  date: string;
  revocationDate: string;
  reason: string;
  portalUrl: string;
}): { subject: string; body: string } {
  return {
    subject: `${ctx.mspName} asks to end its access to your systems on ${ctx.date}`,
    body: [
      `${ctx.personName}, ${ctx.mspName} proposes to remove its access to the systems of ${ctx.clientName} on ${ctx.date}, before the agreed date of ${ctx.revocationDate}. Their reason:`,
      ctx.reason,
      `Nothing changes unless you agree: until then, our access ends on ${ctx.revocationDate} as agreed. To agree, sign the agreement in the hand-over portal: ${ctx.portalUrl}`,
    ].join('\n\n'),
  };
}

/** Where a signing code goes in its email: filled in from its sealed copy as the email is sent. */
export const SIGNING_CODE_PLACEHOLDER = '{signing-code}';

/** The one-time code a signer types to sign, sent to the address their link proved. */
export function signingCodeMessage(ctx: { mspName: string; clientName: string; minutes: number }): { subject: string; body: string } {
  return {
    subject: `Your code to sign for the hand-over of ${ctx.clientName}`,
    body: `Your one-time code to sign a statement in the portal of ${ctx.mspName}:\n\n${SIGNING_CODE_PLACEHOLDER}\n\nIt works once, for ${ctx.minutes} minutes. If you did not ask for it, someone may have your portal link: tell ${ctx.mspName}.`,
  };
}

/**
 * A new version of the documentation package, as its recipients hear of it: what it holds, its
 * digests (the same the record keeps), and where to take it. The client's copy, built with the
 * new provider's, says so: the client receives everything the new provider receives.
 */
export function packageReady(ctx: {
  clientName: string;
  mspName: string;
  recipientSide: 'client' | 'new-provider';
  newProvider: string | null;
  version: number;
  items: number;
  files: number;
  size: number;
  sha256: string;
  manifestSha256: string;
  portalUrl: string;
  /** The client's copy: the new provider's version built at the same time, if any. */
  newProviderVersion?: number | undefined;
}): { subject: string; body: string } {
  const megabytes = `${(ctx.size / 1e6).toFixed(1)} MB`;
  return {
    subject: `${ctx.mspName}: the documentation package of ${ctx.clientName} is ready (version ${ctx.version})`,
    body: [
      `Version ${ctx.version} of the documentation package of ${ctx.clientName} is ready to download in the hand-over portal: ${ctx.items} items in ${ctx.files} files, ${megabytes}.`,
      ...(ctx.newProviderVersion !== undefined
        ? [
            `${ctx.newProvider ?? 'Your new provider'} receives its own copy at the same time (its version ${ctx.newProviderVersion}), holding only what you authorized; everything in it is in yours.`,
          ]
        : []),
      `The zip's SHA-256 is ${ctx.sha256}. Inside, manifest.json (SHA-256 ${ctx.manifestSha256}) lists every file with its own digest; ${ctx.mspName} keeps both digests in its signed log.`,
      `Once you have downloaded it, please acknowledge receipt in the portal: ${ctx.portalUrl}`,
    ].join('\n\n'),
  };
}
