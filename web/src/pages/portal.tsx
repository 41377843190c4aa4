/**
 * The portal: the departing client and the new provider, on a phone as often as not. Plain words,
 * one column, their own look. Sign-in is by emailed link only: /portal asks for one, /portal/open
 * exchanges the link's token (carried in the fragment, never sent to the server in a URL) for a
 * portal session, /portal/home is the hand-over as this person sees it, with what they can sign.
 */
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { $api, ApiError, type Issue, type Schemas, asApiError, client } from '../api/client.ts';
import { field, submitted } from '../form.ts';
import { Secret } from '../ui/copy.tsx';
import { Conversation } from '../ui/conversation.tsx';
import { ErrorNote, Spinner } from '../ui/page.tsx';

type View = Schemas['PortalView'];
type Step = View['steps'][number];

const VIEW = ['get', '/api/portal/view', {}] as const;
const PACKAGES = ['get', '/api/portal/packages'] as const;
const CREDENTIALS = ['get', '/api/portal/credentials'] as const;

function PortalFrame({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main className="portal" aria-labelledby="portal-title" id="main">
      <h1 id="portal-title" tabIndex={-1}>
        {title}
      </h1>
      {children}
    </main>
  );
}

/** The sign-in page: ask for a link by email. The answer is the same whether or not the address is known. */
export function PortalSignIn() {
  const [sent, setSent] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const email = field(new FormData(e.currentTarget), 'email');
    setBusy(true);
    setError(undefined);
    try {
      const { data } = await client.POST('/api/portal/link-requests', { body: { email } });
      setSent(data?.message);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <PortalFrame title="Your IT hand-over">
      <p>We sign you in with a link sent to your email address. No password to remember.</p>
      {sent ? (
        <p className="note" role="status">
          {sent} Open it on this device. It works once, for 14 days.
        </p>
      ) : (
        <form onSubmit={(e) => void submit(e)} className="portal-card">
          <label htmlFor="portal-email">Your email address</label>
          <input id="portal-email" name="email" type="email" autoComplete="email" required />
          <ErrorNote error={error} />
          <button type="submit" disabled={busy}>
            {busy ? 'Sending…' : 'Email me a sign-in link'}
          </button>
        </form>
      )}
    </PortalFrame>
  );
}

/** Where an emailed link lands: the token is read from the fragment, exchanged once, and dropped from the address bar. */
export function PortalOpen() {
  const queryClient = useQueryClient();
  const [error, setError] = useState<ApiError>();
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return; // one exchange, even in React's development double render
    started.current = true;
    const token = window.location.hash.slice(1);
    window.history.replaceState(null, '', '/portal/open');
    if (!token) {
      setError(asApiError(new Error('This page opens the link from your email. Open the link again, or ask for a new one.')));
      return;
    }
    client
      .POST('/api/portal/sessions', { body: { token } })
      .then(() => {
        void queryClient.invalidateQueries({ queryKey: VIEW });
        window.location.replace('/portal/home');
      })
      .catch((err: unknown) => setError(asApiError(err)));
  }, [queryClient]);
  return (
    <PortalFrame title="Opening your link">
      {error ? (
        <>
          <ErrorNote error={error} />
          <p>
            <a href="/portal">Ask for a new link</a>
          </p>
        </>
      ) : (
        <Spinner />
      )}
    </PortalFrame>
  );
}

const STEP_STATE: Record<Step['state'], string> = {
  done: 'Done',
  skipped: 'Not needed',
  'under-way': 'Under way',
  'waiting-on-you': 'Waiting on you',
  'waiting-on-new-provider': 'Waiting on your new provider',
  'not-started': 'Not started yet',
};

const day = (date: string) => new Date(`${date}T12:00:00Z`).toLocaleDateString(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const instant = (iso: string, timeZone?: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) });

/** The hand-over as this person sees it. */
export function PortalHome() {
  const view = $api.useQuery('get', '/api/portal/view', {}, { refetchInterval: 60_000 });
  // Kept here: once signed, the statement's own form leaves the page (it is no longer to be signed).
  const [justSigned, setJustSigned] = useState<string>();
  if (view.error) {
    const e = asApiError(view.error);
    return (
      <PortalFrame title="Your IT hand-over">
        {e.status === 401 ? (
          <p>
            Your session has ended. <a href="/portal">Ask for a new sign-in link.</a>
          </p>
        ) : (
          <ErrorNote error={e} />
        )}
      </PortalFrame>
    );
  }
  if (!view.data) return <Spinner />;
  const v = view.data;
  if (v.waitingFor === 'authorization' || !v.offboarding)
    return (
      <PortalFrame title="Waiting for the client’s authorization">
        <p>
          Hello {v.you.name}. {v.mspName} can share nothing with you until their client has signed a written authorization naming you and
          what you may receive. We will email you as soon as it is signed.
        </p>
        <SignOut />
      </PortalFrame>
    );
  const o = v.offboarding;
  const waiting = v.steps.filter((s) => s.state === 'waiting-on-you');
  return (
    <PortalFrame title={`${o.clientName}: IT hand-over from ${v.mspName}`}>
      <p className="muted">
        Signed in as {v.you.name} ({v.you.email}){v.you.side === 'new-provider' ? ', for the new provider' : ''}. Dates are in{' '}
        {o.timeZone.replaceAll('_', ' ')} time.
      </p>
      <dl className="portal-facts">
        <dt>Contract ends</dt>
        <dd>{day(o.endDate)}</dd>
        <dt>Our access ends</dt>
        <dd>
          {day(o.accessEndsOn)}
          {o.accessEndsOn < o.revocationDate ? ` (you agreed to this, before the planned ${day(o.revocationDate)})` : ''}
          {o.proposedCutover ? ` (we propose ${day(o.proposedCutover)}: see below)` : ''}
        </dd>
        {o.newProvider ? (
          <>
            <dt>New provider</dt>
            <dd>{o.newProvider}</dd>
          </>
        ) : null}
        <dt>Authorization</dt>
        <dd>
          {o.authorization
            ? `signed ${instant(o.authorization.signedAt, o.timeZone)}, covering ${o.authorization.scopes.map(scopeWords).join('; ')}`
            : 'not signed yet'}
        </dd>
      </dl>
      {waiting.length > 0 ? (
        <section aria-labelledby="waiting-title" className="portal-card attention">
          <h2 id="waiting-title">Waiting on you</h2>
          <ul>
            {waiting.map((s) => (
              <li key={s.key}>
                {s.words}: we need {s.waitingFor}, by {day(s.due)}.
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {justSigned ? (
        <p className="note" role="status">
          Signed: {KIND_TITLE[justSigned] ?? justSigned}. It is on record below, under Signed statements, and your signing certificate is on
          its way to {v.you.email}.
        </p>
      ) : null}
      {v.you.side === 'client' || o.authorization?.scopes.includes('documentation') ? (
        <DocumentationPackages
          side={v.you.side}
          canSign={v.you.canSign}
          newProvider={o.newProvider}
          timeZone={o.timeZone}
          codeRequired={v.signingCodeRequired}
          onSigned={() => setJustSigned('package-receipt')}
        />
      ) : null}
      {v.you.side === 'client' || o.authorization?.scopes.includes('credentials') ? (
        <PortalCredentials
          side={v.you.side}
          newProvider={o.newProvider}
          timeZone={o.timeZone}
          codeRequired={v.signingCodeRequired}
          onSigned={() => setJustSigned('credentials-receipt')}
        />
      ) : null}
      {v.signable.map((kind) => (
        <SignStatement
          key={kind}
          kind={kind}
          proposedCutover={o.proposedCutover}
          codeRequired={v.signingCodeRequired}
          onSigned={() => setJustSigned(kind)}
        />
      ))}
      <section aria-labelledby="steps-title">
        <h2 id="steps-title">Every step</h2>
        <ol className="portal-steps">
          {v.steps.map((s) => (
            <li key={s.key} className={`step ${s.state}`}>
              <span className="step-words">{s.words}</span>
              <span className="step-state">
                {STEP_STATE[s.state]} · by {day(s.due)}
              </span>
            </li>
          ))}
        </ol>
      </section>
      {o.newProvider ? <PortalConversation open={o.authorization !== null} newProvider={o.newProvider} /> : null}
      {v.statements.length > 0 ? (
        <section aria-labelledby="signed-title">
          <h2 id="signed-title">Signed statements</h2>
          <ul>
            {v.statements.map((s) => (
              <li key={s.id}>
                {KIND_TITLE[s.kind ?? ''] ?? s.kind}: {s.how} by {s.signerName} ({s.signerEmail}), {instant(s.signedAt, o.timeZone)}
                {s.hasCertificate ? (
                  <>
                    {' · '}
                    <a href={`/api/portal/statements/${s.id}/certificate`}>signing certificate (PDF)</a>
                  </>
                ) : null}
                {s.attachment ? (
                  <>
                    {' · '}
                    <a href={`/api/portal/statements/${s.id}/attachment`}>{s.attachment.filename}</a>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <SignOut />
    </PortalFrame>
  );
}

const megabytes = (n: number) =>
  n >= 1024 ** 3
    ? `${(n / 1024 ** 3).toFixed(2)} GB`
    : n >= 1024 ** 2
      ? `${(n / 1024 ** 2).toFixed(1)} MB`
      : `${Math.max(1, Math.round(n / 1024))} KB`;

/**
 * The documentation package: each version this person may take, who took it and who acknowledged
 * it, and, once they downloaded one, the acknowledgement of receipt to sign. The client also sees
 * the copy prepared for the new provider: it receives everything the new provider receives.
 */
function DocumentationPackages({
  side,
  canSign,
  newProvider,
  timeZone,
  codeRequired,
  onSigned,
}: {
  side: 'client' | 'new-provider';
  canSign: boolean;
  newProvider: string | null;
  timeZone: string;
  codeRequired: boolean;
  onSigned: () => void;
}) {
  const queryClient = useQueryClient();
  const packages = $api.useQuery('get', '/api/portal/packages', {}, { refetchInterval: 30_000 });
  // A download is recorded when it starts: read the list again shortly after, so the acknowledgement appears.
  const downloaded = () => setTimeout(() => void queryClient.invalidateQueries({ queryKey: PACKAGES }), 1500);
  const list = packages.data?.packages ?? [];
  return (
    <section aria-labelledby="package-title" className="portal-card">
      <h2 id="package-title">Documentation package</h2>
      {packages.error ? <ErrorNote error={asApiError(packages.error)} /> : null}
      {packages.data && list.length === 0 ? <p>Your IT provider has not prepared the package yet. We will show it here.</p> : null}
      {list.length > 0 ? (
        <ul className="packages">
          {list.map((p) => (
            <li key={p.id}>
              <strong>
                {p.audience === side ? 'Your copy' : `The copy for ${newProvider ?? 'the new provider'}`}, version {p.version}
              </strong>
              , prepared {instant(p.builtAt, timeZone)}: {p.items} items in {p.files} files, {megabytes(p.size)}.{' '}
              <a href={`/api/portal/packages/${p.id}/download`} onClick={downloaded} download>
                Download (zip)
              </a>
              <div className="muted">
                SHA-256 <code>{p.sha256}</code>
              </div>
              {p.downloads.length > 0 ? (
                <div className="muted">Downloaded by {p.downloads.map((d) => `${d.by} (${instant(d.at, timeZone)})`).join(', ')}</div>
              ) : null}
              {p.receipts.map((r) => (
                <div key={r.statementId}>
                  Receipt acknowledged by {r.by} ({r.email}), {instant(r.at, timeZone)}
                </div>
              ))}
            </li>
          ))}
        </ul>
      ) : null}
      {packages.data?.toAcknowledge && canSign ? (
        <SignStatement
          kind="package-receipt"
          packageId={packages.data.toAcknowledge}
          proposedCutover={null}
          codeRequired={codeRequired}
          onSigned={onSigned}
        />
      ) : null}
    </section>
  );
}

/**
 * The credentials handed to this side: each secret shown once on request, or all of them in a file
 * encrypted with age for a passphrase or public key given here; the acknowledgement of receipt;
 * and the confirmation that each was changed.
 */
function PortalCredentials({
  side,
  newProvider,
  timeZone,
  codeRequired,
  onSigned,
}: {
  side: 'client' | 'new-provider';
  newProvider: string | null;
  timeZone: string;
  codeRequired: boolean;
  onSigned: () => void;
}) {
  const queryClient = useQueryClient();
  const state = $api.useQuery('get', '/api/portal/credentials', {}, { refetchInterval: 30_000 });
  const [shown, setShown] = useState<Record<string, { password: string; otpSecret: string | null }>>({});
  const [error, setError] = useState<ApiError>();
  const [exporting, setExporting] = useState(false);
  const items = state.data?.items ?? [];
  const refresh = () => queryClient.invalidateQueries({ queryKey: CREDENTIALS });
  const reveal = async (id: string) => {
    setError(undefined);
    try {
      const { data } = await client.POST('/api/portal/credentials/{id}/reveal', { params: { path: { id } } });
      if (data) setShown({ ...shown, [id]: { password: data.password, otpSecret: data.otpSecret } });
      await refresh();
    } catch (err) {
      setError(asApiError(err));
    }
  };
  const exportAll = submitted((f) => {
    setError(undefined);
    setExporting(true);
    const key = field(f, 'publicKey');
    const body = key ? { recipient: key } : { passphrase: f.get('passphrase') as string };
    // The file is the answer itself: fetched here so the passphrase goes in the body, never in an address.
    fetch('/api/portal/credentials/export', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
      .then(async (res) => {
        if (!res.ok) {
          const answer = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string; details?: Issue[] } };
          throw new ApiError(
            res.status,
            answer.error?.code ?? 'error',
            answer.error?.message ?? `The server answered ${res.status}.`,
            answer.error?.details ?? [],
          );
        }
        const blob = await res.blob();
        const a = document.createElement('a');
        a.href = URL.createObjectURL(blob);
        a.download = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'credentials.csv.age';
        a.click();
        URL.revokeObjectURL(a.href);
        await refresh();
      })
      .catch((err: unknown) => setError(asApiError(err)))
      .finally(() => setExporting(false));
  });
  const confirm = async (body: { ids: string[] } | { all: true }) => {
    setError(undefined);
    try {
      await client.POST('/api/portal/credentials/changed', { body: body as never });
      await refresh();
    } catch (err) {
      setError(asApiError(err));
    }
  };
  if (state.data && items.length === 0) return null;
  const mayTake = state.data?.mayTake ?? false;
  const toConfirm = items.filter((i) => i.taken && i.youConfirmChange && !i.changedAt);
  return (
    <section aria-labelledby="credentials-title" className="portal-card">
      <h2 id="credentials-title">Credentials</h2>
      <p className="muted">
        {side === 'client'
          ? `Everything your IT provider hands over${newProvider ? `, including what goes to ${newProvider}` : ''}. `
          : 'What your IT provider hands over to you. '}
        Each secret is shown once, and recorded; to keep them, download the encrypted file. Change each one once you have it: until then,
        your IT provider still knows it.
      </p>
      <ErrorNote error={error ?? (state.error ? asApiError(state.error) : undefined)} />
      <ul className="portal-credentials">
        {items.map((c) => (
          <li key={c.id}>
            <strong>{c.name}</strong>
            {c.username ? ` (${c.username})` : ''}
            {c.url ? <span className="muted"> {c.url}</span> : null}
            {c.state === 'waiting-for-change' ? (
              <div className="muted">Your IT provider changes it first; it will be yours then.</div>
            ) : (
              <div>
                {c.taken
                  ? `Taken ${instant(c.taken.at, timeZone)} (${c.taken.how === 'reveal' ? 'shown' : 'in the encrypted file'}). `
                  : ''}
                {c.changedAt ? `Changed, confirmed ${instant(c.changedAt, timeZone)}.` : ''}
              </div>
            )}
            {shown[c.id] ? (
              <div role="group" aria-label={`The secret of ${c.name}`}>
                <Secret value={shown[c.id]?.password ?? ''} label="Password" />
                {shown[c.id]?.otpSecret ? <Secret value={shown[c.id]?.otpSecret ?? ''} label="TOTP seed" /> : null}
              </div>
            ) : mayTake && c.state === 'available' && !c.shownToYouAt ? (
              <button type="button" className="small" onClick={() => void reveal(c.id)}>
                Show it once
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {mayTake && items.some((i) => i.state === 'available') ? (
        <form onSubmit={exportAll} className="form-grid" aria-label="Download them encrypted">
          <p className="span">
            Download them all, encrypted with <a href="https://age-encryption.org">age</a>: choose a passphrase (at least 12 characters), or
            paste your age public key.
          </p>
          <label htmlFor="x-pass">Passphrase</label>
          <input id="x-pass" name="passphrase" type="password" autoComplete="new-password" minLength={12} />
          <label htmlFor="x-key">Or your age public key</label>
          <input id="x-key" name="publicKey" placeholder="age1..." autoComplete="off" />
          <div className="actions">
            <button type="submit" disabled={exporting}>
              {exporting ? 'Encrypting…' : 'Download encrypted'}
            </button>
          </div>
        </form>
      ) : null}
      {state.data?.toAcknowledge ? (
        <SignStatement
          kind="credentials-receipt"
          credentialsSha256={state.data.toAcknowledge.sha256}
          proposedCutover={null}
          codeRequired={codeRequired}
          onSigned={onSigned}
        />
      ) : null}
      {state.data?.acknowledged.map((a) => (
        <p key={a.sha256} className="muted">
          Receipt of {a.count} acknowledged by {a.signerName}, {instant(a.signedAt, timeZone)}.
        </p>
      ))}
      {mayTake && toConfirm.length > 0 ? (
        <div className="actions" aria-label="Confirm changes">
          <span>Changed them? Tell us, so we stop reminding you:</span>
          {toConfirm.map((c) => (
            <button key={c.id} type="button" className="small" onClick={() => void confirm({ ids: [c.id] })}>
              {c.name} is changed
            </button>
          ))}
          {toConfirm.length > 1 ? (
            <button type="button" className="small" onClick={() => void confirm({ all: true })}>
              All changed
            </button>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function PortalConversation({ open, newProvider }: { open: boolean; newProvider: string }) {
  const queryClient = useQueryClient();
  const messages = $api.useQuery('get', '/api/portal/messages', {}, { enabled: open, refetchInterval: 60_000 });
  return (
    <Conversation
      messages={messages.data?.items ?? []}
      open={open}
      who={`Between your IT provider and ${newProvider}; the client reads and receives every message, by email too.`}
      closed="The conversation opens once the client has signed the authorization."
      send={async (body) => {
        await client.POST('/api/portal/messages', { body: { body } });
        await queryClient.invalidateQueries({ queryKey: ['get', '/api/portal/messages'] });
      }}
    />
  );
}

function SignOut() {
  return (
    <p>
      <button
        type="button"
        className="link"
        onClick={() => void client.POST('/api/portal/sign-out', {}).finally(() => window.location.replace('/portal'))}
      >
        Sign out
      </button>
    </p>
  );
}

const SCOPES = [
  ['documentation', 'The documentation of our systems (network diagrams, device and software lists, vendor contacts)'],
  ['credentials', 'The passwords and accounts for our systems'],
  ['dns-registrar', 'Our domain names and DNS'],
  ['cloud-m365', 'Administration of our cloud subscriptions and Microsoft 365'],
  ['network-equipment', 'Administration of our firewall and network equipment'],
] as const;
const scopeWords = (s: string) => SCOPES.find(([k]) => k === s)?.[1].toLowerCase() ?? s;

const KIND_TITLE: Record<string, string> = {
  authorization: 'Authorize the hand-over to your new provider',
  'authorization-withdrawal': 'Withdraw your authorization',
  'backup-release': 'Release us from keeping your backups until the new ones are proven',
  'early-cutover': 'Agree to end our access early',
  'backup-verified': 'Confirm a verified backup',
  'replacement-coverage': 'Confirm your security software protects the devices',
  receipt: 'Confirm what you received',
  'package-receipt': 'Acknowledge receipt of the documentation package',
  'credentials-receipt': 'Acknowledge receipt of the credentials',
};

type Scope = (typeof SCOPES)[number][0];
type Details = {
  signerName: string;
  scopes?: Scope[];
  restore?: { date: string; product: string };
  coverage?: { product: string; since: string };
  received?: string;
  cutoverDate?: string;
  attachmentId?: string;
  packageId?: string;
  credentialsSha256?: string;
};

/** The file a statement is signed with, and what the portal calls it. */
const ATTACHMENT_LABEL: Record<string, string> = {
  'backup-verified': 'The report of the test restore (PDF, screenshot or export)',
  'replacement-coverage': 'Evidence: a screenshot or export of your security console',
};

function detailsFrom(kind: string, form: FormData): Details {
  const text = (k: string) => field(form, k);
  const details: Details = { signerName: text('signerName') };
  if (kind === 'authorization') details.scopes = form.getAll('scopes').map(String) as Scope[];
  if (kind === 'backup-verified') details.restore = { date: text('restoreDate'), product: text('restoreProduct') };
  if (kind === 'replacement-coverage') details.coverage = { product: text('coverageProduct'), since: text('coverageSince') };
  if (kind === 'receipt') details.received = text('received');
  if (kind === 'early-cutover') details.cutoverDate = text('cutoverDate');
  if (kind === 'package-receipt') details.packageId = text('packageId');
  if (kind === 'credentials-receipt') details.credentialsSha256 = text('credentialsSha256');
  return details;
}

/** One statement to sign: fill in, read the exact text, confirm intent and consent, sign. */
function SignStatement({
  kind,
  proposedCutover,
  codeRequired,
  onSigned,
  packageId,
  credentialsSha256,
}: {
  kind: string;
  proposedCutover: string | null;
  codeRequired: boolean;
  onSigned: () => void;
  /** package-receipt: the package acknowledged. */
  packageId?: string | undefined;
  /** credentials-receipt: the list of credentials acknowledged, by its digest. */
  credentialsSha256?: string | undefined;
}) {
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [shown, setShown] = useState<{ text: string; statementSha256: string; details: Details }>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [uploaded, setUploaded] = useState<{ file: File; id: string }>();
  const [codeSent, setCodeSent] = useState<string>();
  const sendCode = async () => {
    setError(undefined);
    try {
      const { data } = await client.POST('/api/portal/signing-codes', {});
      if (data) setCodeSent(data.sentTo);
    } catch (err) {
      setError(asApiError(err));
    }
  };
  const id = `sign-${kind}`;
  /** Uploads the chosen file once (again only when another is chosen); its id goes with the statement. */
  const attach = async (form: FormData): Promise<string | undefined> => {
    const file = form.get('attachment');
    if (!(file instanceof File) || file.size === 0) return undefined;
    if (uploaded?.file === file) return uploaded.id;
    const body = new FormData();
    body.append('file', file, file.name);
    const { data } = await client.POST('/api/portal/files', { body: body as never, bodySerializer: (b: unknown) => b as FormData });
    if (data) setUploaded({ file, id: data.id });
    return data?.id;
  };
  const review = async () => {
    if (!formRef.current) return;
    const form = new FormData(formRef.current);
    const details = detailsFrom(kind, form);
    setError(undefined);
    setBusy(true);
    try {
      const attachmentId = ATTACHMENT_LABEL[kind] ? await attach(form) : undefined;
      if (attachmentId) details.attachmentId = attachmentId;
      const { data } = await client.POST('/api/portal/statements/{kind}/preview', { params: { path: { kind } }, body: details });
      if (data) setShown({ text: data.text, statementSha256: data.statementSha256, details });
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const sign = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!shown) return void review();
    const form = new FormData(e.currentTarget);
    setError(undefined);
    setBusy(true);
    try {
      await client.POST('/api/portal/statements/{kind}', {
        params: { path: { kind } },
        body: {
          ...shown.details,
          statementSha256: shown.statementSha256,
          intent: form.get('intent') === 'on',
          consent: form.get('consent') === 'on',
          ...(codeRequired ? { code: field(form, 'code') } : {}),
        },
      });
      onSigned();
      await queryClient.invalidateQueries({ queryKey: VIEW });
      await queryClient.invalidateQueries({ queryKey: PACKAGES });
      await queryClient.invalidateQueries({ queryKey: CREDENTIALS });
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby={`${id}-title`} className="portal-card">
      <h2 id={`${id}-title`}>{KIND_TITLE[kind] ?? kind}</h2>
      <form
        ref={formRef}
        onSubmit={(e) => void sign(e)}
        onChange={(e) => {
          // A changed detail changes the text: read it again. Ticking intent and consent does not.
          const changed = (e.target as unknown as { name?: string }).name;
          if (changed !== 'intent' && changed !== 'consent') setShown(undefined);
        }}
      >
        {kind === 'authorization' ? (
          <fieldset>
            <legend>What we may hand to your new provider</legend>
            {SCOPES.map(([value, words]) => (
              <label key={value} className="choice">
                <input type="checkbox" name="scopes" value={value} /> {words}
              </label>
            ))}
          </fieldset>
        ) : null}
        {kind === 'backup-verified' ? (
          <>
            <label htmlFor={`${id}-product`}>Backup product</label>
            <input id={`${id}-product`} name="restoreProduct" required />
            <label htmlFor={`${id}-date`}>Date of the successful test restore</label>
            <input id={`${id}-date`} name="restoreDate" type="date" required />
          </>
        ) : null}
        {kind === 'replacement-coverage' ? (
          <>
            <label htmlFor={`${id}-product`}>Security product</label>
            <input id={`${id}-product`} name="coverageProduct" required />
            <label htmlFor={`${id}-since`}>Protecting every device since</label>
            <input id={`${id}-since`} name="coverageSince" type="date" required />
          </>
        ) : null}
        {ATTACHMENT_LABEL[kind] ? (
          <>
            <label htmlFor={`${id}-file`}>{ATTACHMENT_LABEL[kind]}</label>
            <input id={`${id}-file`} name="attachment" type="file" />
          </>
        ) : null}
        {kind === 'early-cutover' && proposedCutover ? (
          <>
            <p>We propose to end our access to your systems on {day(proposedCutover)}, before the date agreed.</p>
            <input type="hidden" name="cutoverDate" value={proposedCutover} />
          </>
        ) : null}
        {kind === 'package-receipt' && packageId ? <input type="hidden" name="packageId" value={packageId} /> : null}
        {kind === 'credentials-receipt' && credentialsSha256 ? (
          <input type="hidden" name="credentialsSha256" value={credentialsSha256} />
        ) : null}
        {kind === 'receipt' ? (
          <>
            <label htmlFor={`${id}-received`}>What you received</label>
            <textarea id={`${id}-received`} name="received" rows={3} required />
          </>
        ) : null}
        <label htmlFor={`${id}-name`}>Your full name, typed as your signature</label>
        <input id={`${id}-name`} name="signerName" autoComplete="name" required defaultValue="" />
        {shown ? (
          <>
            <p>This is exactly what you sign:</p>
            <pre className="statement" aria-label="The statement">
              {shown.text}
            </pre>
            <label className="choice">
              <input type="checkbox" name="intent" required /> I intend to sign this statement.
            </label>
            <label className="choice">
              <input type="checkbox" name="consent" required /> I agree to sign it electronically.
            </label>
            {codeRequired ? (
              <>
                <p>
                  To sign, type the one-time code we email you.{' '}
                  <button type="button" className="link" onClick={() => void sendCode()}>
                    {codeSent ? 'Send another code' : 'Email me a code'}
                  </button>
                </p>
                {codeSent ? (
                  <p className="note" role="status">
                    A code is on its way to {codeSent}. It works for 10 minutes.
                  </p>
                ) : null}
                <label htmlFor={`${id}-code`}>Code from the email</label>
                <input id={`${id}-code`} name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" required />
              </>
            ) : null}
          </>
        ) : null}
        <ErrorNote error={error} />
        {shown ? (
          <button type="submit" disabled={busy}>
            {busy ? 'Signing…' : 'Sign'}
          </button>
        ) : (
          <button type="button" disabled={busy} onClick={() => void review()}>
            {busy ? 'Preparing…' : 'Show me the statement'}
          </button>
        )}
      </form>
    </section>
  );
}
