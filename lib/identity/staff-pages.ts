import { z } from 'zod';
import { formPage, renderPage } from '@/lib/platform/page';
import { nextAuthCsrfCookies, startSignIn } from './next-auth-flow';
import { STAFF_PROVIDER, type StaffRole } from './staff';
import { staffPage } from './staff-page';
import { paths } from '@/lib/platform/paths';

/** Staff sign-in and the staff landing page, with placeholders for the areas later issues bring. */

export const ROLE_NAMES: Record<StaffRole, string> = {
  'care-professional': 'Care professional',
  'engagement-coordinator': 'Engagement coordinator',
  'programme-admin': 'Programme administrator',
  'proxy-verifier': 'Proxy verifier (requests to act for someone)',
};

type Area = { role: StaffRole; path: string; title: string; description: string; comingIn: string };

export const STAFF_AREAS: readonly Area[] = [
  {
    role: 'care-professional',
    path: paths.staff.findACitizen,
    title: 'Find a citizen',
    description: 'Find someone you care for and see what they have chosen to share.',
    comingIn: 'issue 8 (sharing, consent and audit)',
  },
  {
    role: 'engagement-coordinator',
    path: paths.staff.engagement.home,
    title: 'Engagement',
    description: 'Plan consultations and surveys with other organisations.',
    comingIn: 'issue 9 (Open Citizen)',
  },
  {
    role: 'programme-admin',
    path: paths.staff.activeUsers,
    title: 'Active users',
    description: 'See how many people use the service, against the business case.',
    comingIn: 'the reporting work',
  },
  {
    role: 'programme-admin',
    path: paths.staff.benefits,
    title: 'Benefits report',
    description: 'See the benefits the business case counts on, month by month, and download them.',
    comingIn: 'issue 20 (fewer letters)',
  },
  {
    role: 'programme-admin',
    path: paths.staff.feedback,
    title: 'Feedback',
    description: 'Read and download what people told us with the feedback form.',
    comingIn: 'issue 20 (fewer letters)',
  },
  {
    role: 'programme-admin',
    path: paths.staff.emergencyAccessReport,
    title: 'Emergency access report',
    description: 'See when professionals used emergency access, and the reasons they gave.',
    comingIn: 'issue 8 (sharing, consent and audit)',
  },
  {
    role: 'programme-admin',
    path: paths.staff.deliveries,
    title: 'Changes not delivered',
    description: 'See changes of address and contact preferences that did not reach an organisation, and send them again.',
    comingIn: 'issue 5 (about me and my details)',
  },
  {
    role: 'proxy-verifier',
    path: paths.proxyRequests.staffList,
    title: 'Requests to act for someone',
    description: 'Check requests from parents, guardians, attorneys and deputies, and grant or refuse them.',
    comingIn: 'issue 22 (acting for someone else)',
  },
  {
    role: 'programme-admin',
    path: paths.apps.staffList,
    title: 'Apps',
    description: 'Register apps that citizens can connect to their record, and withdraw them.',
    comingIn: 'issue 17 (app registry)',
  },
];

export const staffSignInPage = formPage({
  view: 'staff/sign-in.njk',
  access: 'public',
  schema: z.object({}),
  cookies: (page) => nextAuthCsrfCookies(page.req),
  onValid: (_answers, page) => startSignIn(page.req, STAFF_PROVIDER, { sharedDevice: false, returnTo: paths.staff.home }, paths.staff.signIn),
});

export const staffHomePage = staffPage(null, (page) => {
  const { staff } = page;
  return renderPage(page, 'staff/home.njk', {
    staffSignedIn: true,
    fullName: `${staff.givenName} ${staff.familyName}`,
    organisation: `${staff.organisationName} (${staff.organisationCode})`,
    jobRole: staff.jobRole,
    roles: staff.roleList.map((role) => ROLE_NAMES[role]),
    areas: STAFF_AREAS.filter((area) => staff.roleList.includes(area.role)),
  });
});

/** An area's page, for its role only: a placeholder until its issue is built. */
export function staffAreaPage(path: string) {
  const area = STAFF_AREAS.find((known) => known.path === path)!;
  return staffPage(area.role, (page) => renderPage(page, 'staff/area.njk', { staffSignedIn: true, area }));
}
