import { staffPage, type StaffPageRequest } from '@/lib/identity/public';
import { getDb } from '../platform/db';
import { HttpError } from '../platform/errors';
import { readForm, type FormValues } from '../platform/forms';
import { log } from '../platform/log';
import { formPage, renderPage, routeParam } from '../platform/page';
import { paths } from '../platform/paths';
import { redirect } from '../platform/render';
import { findApp, SUPPORTED_SCOPES, withdrawApp, type App, type NewApp } from './apps';
import { CLIENT_ID_TAKEN, checkRegistration, connectedCitizenCount, REGISTRATION_LIMITS, registerNewApp, registeredApps, scopeWords } from './registry';

/**
 * The app registry's pages, for programme administrators: the apps citizens may connect,
 * registering one, and withdrawing one (which ends every citizen's connection to it).
 */

const adminPage = (handler: (page: StaffPageRequest) => Response | Promise<Response>) => staffPage('programme-admin', handler);

const REGISTER_VIEW = 'apps/staff/register.njk';

/** What the register form offers: every scope the platform supports, with what it lets an app do. */
const registerContext = {
  staffSignedIn: true,
  limits: REGISTRATION_LIMITS,
  scopeItems: SUPPORTED_SCOPES.map((scope) => ({ value: scope, text: scope, label: { classes: 'app-break-words' }, hint: { text: scopeWords(scope) } })),
};

/** The apps in the registry, and after registering or withdrawing one, a banner that names it. */
export const appRegistryPage = adminPage(async (page) => {
  const db = getDb();
  const named = async (parameter: string) => {
    const id = page.url.searchParams.get(parameter);
    return id ? (await findApp(db, id))?.name : undefined;
  };
  return renderPage(page, 'apps/staff/list.njk', {
    staffSignedIn: true,
    apps: await registeredApps(db),
    registeredName: await named('registered'),
    withdrawnName: await named('withdrawn'),
  });
});

/** The form shown again with one error the checks could not see coming (another app took the client ID meanwhile). */
function clientIdTakenAgain(page: StaffPageRequest, values: FormValues): Response {
  const error = { text: CLIENT_ID_TAKEN, href: '#clientId' };
  return renderPage(
    page,
    REGISTER_VIEW,
    { ...registerContext, values: { ...values, scopes: [values.scopes ?? []].flat() }, errors: { summary: [error], fields: { clientId: error } } },
    { status: 422 },
  );
}

export const registerAppPage = formPage<NewApp, undefined, StaffPageRequest>({
  route: adminPage,
  view: REGISTER_VIEW,
  lists: ['scopes'],
  context: () => registerContext,
  validate: (values) => checkRegistration(values, async (id) => (await findApp(getDb(), id)) !== null),
  async onValid(app, page) {
    const { staff } = page;
    const registered = await registerNewApp(getDb(), app, `${staff.givenName} ${staff.familyName}`, page.now);
    if (registered === 'client-id-taken') return clientIdTakenAgain(page, await readForm(page.req));
    log.info('app-registered', { requestId: page.requestId, app: registered.id, clientType: registered.clientType });
    return `${paths.apps.staffList}?registered=${encodeURIComponent(registered.id)}`;
  },
});

/** The app named in /staff/apps/<id>/…: a registered app, or a 404. */
async function appOf(page: StaffPageRequest): Promise<App> {
  const app = await findApp(getDb(), routeParam(page, 'id'));
  if (!app) throw new HttpError(404, 'no-such-app');
  return app;
}

/** "Are you sure?", then the app is withdrawn: no one can connect it, and every connection to it ends at once. */
export const withdrawAppPage = {
  GET: adminPage(async (page) => {
    const app = await appOf(page);
    if (app.withdrawnAt) return redirect(paths.apps.staffList);
    return renderPage(page, 'apps/staff/withdraw.njk', { staffSignedIn: true, app, connectedCitizens: await connectedCitizenCount(getDb(), app.id) });
  }),
  POST: adminPage(async (page) => {
    // A button with nothing to fill in: still a form, so the pipeline checked its token and origin.
    const app = await appOf(page);
    if (app.withdrawnAt) return redirect(paths.apps.staffList);
    const ended = await withdrawApp(getDb(), app.id, page.now);
    log.info('app-withdrawn', { requestId: page.requestId, app: app.id, connectionsEnded: ended ?? 0 });
    return redirect(`${paths.apps.staffList}?withdrawn=${encodeURIComponent(app.id)}`);
  }),
};
