import { pageRoute, renderPage } from '../platform/page';
import { config } from '../platform/config';
import { SUPPORTED_SCOPES } from './apps';
import { fhirBaseUrl, oauthEndpoints, ACCESS_TOKEN_SECONDS } from './authorisation-server';

/** What each scope lets an app do, in app makers' words (the consent page has the citizen's). */
const SCOPE_USES: Record<string, string> = {
  'patient/Patient.r': 'Read the person’s Patient resource: name, date of birth, NHS number, address, contact details and preferences',
  'patient/Observation.rs':
    'Read and search their blood pressure readings (Observation, LOINC 85354-9), and their test results from the care record (category laboratory, ids cr-…)',
  'patient/Observation.c': 'Add blood pressure readings: they are checked by the same rules as our own form',
  'patient/Condition.rs': 'Read and search their long-term conditions',
  'patient/Condition.c': 'Add long-term conditions, from our list or in words',
  'patient/Consent.rs': 'Read the person’s sharing choices (one Consent per kind of information)',
  'patient/AuditEvent.rs': 'Read who has viewed their record, as they see it themselves',
  'patient/AllergyIntolerance.rs': 'Read and search their allergies and intolerances from the care record (read only)',
  'patient/MedicationStatement.rs': 'Read and search their medicines from the care record (read only)',
  'patient/Immunization.rs': 'Read and search their vaccinations from the care record (read only)',
  'patient/Appointment.rs': 'Read and search their appointments from the care record (read only)',
  'patient/DocumentReference.rs': 'Read and search letters about their care from the care record, with the letter inline (read only)',
  'launch/patient': 'Be told whose record the token is for (patient in the token response)',
  openid: 'Get an ID token for the person',
  fhirUser: 'Have the person’s Patient resource named in the ID token (fhirUser)',
  offline_access: 'Get a refresh token, to keep access until the person disconnects the app',
};

/** The demo identity provider's people for trying an app (scripts/oidc-provider/users.ts). */
const DEMO_PEOPLE = ['mo.appleby@example.com', 'tess.appleby@example.com'];

/** For app makers: the API, how to get an app registered, the scopes, and how to try it. */
export const developersPage = pageRoute((page) =>
  renderPage(page, 'apps/developers.njk', {
    fhirBase: fhirBaseUrl(),
    endpoints: oauthEndpoints(),
    accessTokenMinutes: ACCESS_TOKEN_SECONDS / 60,
    scopes: SUPPORTED_SCOPES.map((scope) => [{ html: `<code>${scope}</code>`, classes: 'app-break-words' }, { text: SCOPE_USES[scope] ?? '' }]),
    contactEmail: config().service.contactEmail,
    // Test people exist only where the demo identity provider runs (this computer), never in production.
    demoPeople: config().identity.providers.every((provider) => new URL(provider.issuer).hostname === 'localhost') ? DEMO_PEOPLE : [],
  }),
);
