/**
 * The user-facing steps of a sign-in at a demo provider, as plain HTML forms:
 *   GET  <mount>/interaction/:uid            sign-in page, or identity page, or straight on
 *   POST <mount>/interaction/:uid/login      email + password
 *   POST <mount>/interaction/:uid/identity   "Continue" on the identity check
 *   GET  <mount>/interaction/:uid/abort      cancel: error=access_denied back to the app
 *
 * Consent is granted automatically: the only clients are the council's own first-party app,
 * and the real services do not ask their users either.
 *
 * Cross-site forgery: the interaction cookie is SameSite=Lax, so a POST from another site
 * arrives without it and finds no interaction.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors, type InteractionDetails } from 'oidc-provider';
import { CLIENT_NAME, describeLevels, peopleFor, subOf, VECTOR_CHECK, type DemoProvider, type Person } from './providers';
import { DEMO_PASSWORD } from './users';
import { achievedVector, identityStepNeeded, parseVtr } from './vectors';
import { render } from './views';

const MAX_FORM_BYTES = 16 * 1024;

type Outcome = 'success' | 'wrong-credentials' | 'identity-failed' | 'cancelled';

export async function handleInteraction(demo: DemoProvider, req: IncomingMessage, res: ServerResponse, subPath: string): Promise<void> {
  const match = /^\/interaction\/([\w-]+)(?:\/(login|identity|abort))?$/.exec(subPath);
  const [, uid, step] = match ?? [];
  const method = req.method ?? 'GET';
  const allowed = step === 'login' || step === 'identity' ? 'POST' : 'GET';
  if (!uid) return sendPage(demo, res, 404, 'error.njk', { message: 'Page not found.' });
  if (method !== allowed) {
    res.setHeader('allow', allowed);
    return sendPage(demo, res, 405, 'error.njk', { message: 'This page cannot be used that way.' });
  }

  let details: InteractionDetails;
  try {
    details = await demo.provider.interactionDetails(req, res);
  } catch (error) {
    if (!(error instanceof errors.SessionNotFound)) throw error;
    return sendExpired(demo, res);
  }
  // A stale tab of an older sign-in: its cookie now points at another interaction.
  if (details.uid !== uid) return sendExpired(demo, res);

  const flow = new Flow(demo, req, res, details);
  if (step === 'abort') return flow.finishWithError('cancelled', 'The user cancelled the sign-in');
  if (step === 'login') return flow.signIn(await readForm(req));
  if (details.prompt.name === 'consent') return flow.grantConsent();

  const accountId = flow.pendingAccountId();
  if (!accountId) return flow.showSignIn(200, {});
  return flow.continueAs(accountId, step === 'identity');
}

class Flow {
  constructor(
    private readonly demo: DemoProvider,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly details: InteractionDetails,
  ) {}

  private get base() {
    return `${this.demo.mountPath}/interaction/${this.details.uid}`;
  }

  /**
   * The account this interaction is about without asking for a password again: one that
   * just signed in here, or the session's own when only our vector check asked for this
   * interaction (not prompt=login, max_age and the like).
   */
  pendingAccountId(): string | undefined {
    const justSignedIn = this.details.result?.login?.accountId;
    if (justSignedIn) return justSignedIn;
    const onlyVectorCheck = this.details.prompt.reasons.every((reason) => reason === VECTOR_CHECK);
    return onlyVectorCheck ? this.details.session?.accountId : undefined;
  }

  showSignIn(status: number, form: { email?: string; errors?: Record<string, string> }) {
    const errorList = Object.entries(form.errors ?? {}).map(([field, text]) => ({ text, href: `#${field}` }));
    const { profile } = this.demo;
    return sendPage(this.demo, this.res, status, 'sign-in.njk', {
      hasErrors: errorList.length > 0,
      errorList,
      errors: form.errors ?? {},
      email: form.email,
      action: `${this.base}/login`,
      cancelUrl: `${this.base}/abort`,
      submitText: profile.signInButton,
      clientName: CLIENT_NAME,
      password: DEMO_PASSWORD,
      accountRows: peopleFor(profile).map((person) => [
        { text: person.email },
        { text: `${person.givenName} ${person.familyName}: ${person.summary}` },
        { text: describeLevels(profile, person) },
      ]),
    });
  }

  async signIn(form: URLSearchParams) {
    const email = (form.get('email') ?? '').trim();
    const password = form.get('password') ?? '';
    const fieldErrors: Record<string, string> = {};
    if (!email) fieldErrors.email = 'Enter your email address';
    if (!password) fieldErrors.password = 'Enter your password';
    const person = email && password ? this.demo.findByEmail(email) : undefined;
    if (!fieldErrors.email && !fieldErrors.password && (!person || password !== DEMO_PASSWORD)) {
      fieldErrors.password = 'The email address or password is not correct';
    }
    if (!person || Object.keys(fieldErrors).length > 0) {
      this.logSignIn('wrong-credentials', 'password');
      return this.showSignIn(422, { email, errors: fieldErrors });
    }

    const accountId = subOf(this.demo.profile, person);
    if (this.identityStep(person)) {
      // Remember who signed in, then show the identity step on its own page (GET after POST).
      await this.demo.provider.interactionResult(this.req, this.res, { login: { accountId } });
      return redirect(this.res, this.base);
    }
    return this.finishSignIn(person, 'password');
  }

  async continueAs(accountId: string, identityConfirmed: boolean) {
    const person = this.demo.findBySub(accountId);
    if (!person) return this.showSignIn(200, {});
    const method = accountId === this.details.session?.accountId && !this.details.result?.login ? 'session' : 'password';
    if (!this.identityStep(person)) return this.finishSignIn(person, method);
    if (!identityConfirmed) return this.showIdentity(person);
    if (person.kind === 'citizen' && person.identityCheck === 'fails') {
      return this.finishWithError('identity-failed', 'Your identity could not be confirmed (this demo account always fails the identity check)');
    }
    return this.finishSignIn(person, method);
  }

  private identityStep(person: Person): boolean {
    const { scheme } = this.demo.profile;
    return Boolean(scheme) && identityStepNeeded(scheme!, this.vectors(), this.demo.levelOf(person));
  }

  private vectors() {
    // Already validated at the authorisation endpoint.
    return parseVtr(this.demo.profile.scheme!, this.details.params.vtr);
  }

  private showIdentity(person: Person) {
    const outcome =
      person.kind === 'citizen' && person.identityCheck === 'fails'
        ? 'This demo account always fails the check: you will go back with an error.'
        : person.kind === 'citizen' && person.identityCheck === 'not-proven'
          ? `This demo account has no verified identity: you will go back at level ${this.demo.levelOf(person)}.`
          : 'This demo account will pass the check.';
    return sendPage(this.demo, this.res, 200, 'identity.njk', {
      action: `${this.base}/identity`,
      cancelUrl: `${this.base}/abort`,
      clientName: CLIENT_NAME,
      outcome,
    });
  }

  private async finishSignIn(person: Person, method: 'password' | 'session') {
    const { profile, provider, levelOf } = this.demo;
    const accountId = subOf(profile, person);
    const acr = profile.scheme ? achievedVector(profile.scheme, this.vectors(), levelOf(person)) : undefined;
    // Re-confirming a live session keeps its original authentication time (auth_time).
    const session = method === 'session' && this.details.session?.uid ? await provider.Session.findByUid(this.details.session.uid) : undefined;
    const grantId = await this.grant(accountId);
    this.logSignIn('success', method, acr);
    await provider.interactionFinished(
      this.req,
      this.res,
      { login: { accountId, acr, ts: session?.loginTs }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  async grantConsent() {
    const accountId = this.details.session?.accountId;
    if (!accountId) return this.showSignIn(200, {});
    await this.demo.provider.interactionFinished(this.req, this.res, { consent: { grantId: await this.grant(accountId) } });
  }

  /** Grants everything the request asked for: first-party clients only. */
  private async grant(accountId: string): Promise<string> {
    const { Grant } = this.demo.provider;
    const { params, grantId } = this.details;
    const existing = grantId ? await Grant.find(grantId) : undefined;
    const grant = existing?.accountId === accountId ? existing : new Grant({ accountId, clientId: String(params.client_id) });
    grant.addOIDCScope(String(params.scope ?? 'openid'));
    const claimsRequest = typeof params.claims === 'string' ? (JSON.parse(params.claims) as Record<string, object | undefined>) : {};
    const claimNames = [...Object.keys(claimsRequest.userinfo ?? {}), ...Object.keys(claimsRequest.id_token ?? {})];
    if (claimNames.length > 0) grant.addOIDCClaims(claimNames);
    return grant.save();
  }

  async finishWithError(outcome: Outcome, description: string) {
    this.logSignIn(outcome, 'password');
    await this.demo.provider.interactionFinished(
      this.req,
      this.res,
      { error: 'access_denied', error_description: description },
      { mergeWithLastSubmission: false },
    );
  }

  /** One line per sign-in attempt, with no personal data: no email, name or subject. */
  private logSignIn(outcome: Outcome, method: 'password' | 'session', vot?: string) {
    this.demo.settings.log('sign-in', {
      provider: this.demo.profile.id,
      client: String(this.details.params.client_id),
      outcome,
      method,
      vot,
    });
  }
}

function sendExpired(demo: DemoProvider, res: ServerResponse) {
  return sendPage(demo, res, 400, 'error.njk', {
    message: 'Your sign-in has timed out or was already finished.',
  });
}

export function sendPage(demo: DemoProvider | undefined, res: ServerResponse, status: number, view: string, context: Record<string, unknown>) {
  const html = render(view, { providerName: demo?.profile.name, ...context });
  res.statusCode = status;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(html);
}

function redirect(res: ServerResponse, location: string) {
  res.statusCode = 303;
  res.setHeader('location', location);
  res.end();
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return new URLSearchParams();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new Error('Form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
