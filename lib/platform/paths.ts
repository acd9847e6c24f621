/**
 * Every page's address, in one place. Handlers and redirects use `paths`; views have it as the
 * Nunjucks global `paths` (`{{ paths.bloodPressure.add }}`, `{{ paths.bloodPressure.change(reading.id) }}`).
 * Ids are always encoded. lib/platform/paths.test.ts checks that each address here is a route
 * in app/, and that every page in app/ has an address here; docs/routes.md lists them all with
 * who may use each, its handler and its views.
 */

const segment = (value: string | number) => encodeURIComponent(String(value));

export const paths = {
  start: '/',
  accessibility: '/accessibility',
  privacy: '/privacy',
  cookies: '/cookies',
  termsOfUse: '/terms-of-use',
  contact: '/contact',
  /** The 405 page every method other than GET, HEAD and POST is answered with (scripts/server/method-guard.cjs). */
  methodNotAllowed: '/method-not-allowed',
  feedback: '/feedback',
  feedbackSent: '/feedback/sent',

  signIn: '/sign-in',
  signInFor: (returnTo: string) => `/sign-in?returnTo=${encodeURIComponent(returnTo)}`,
  signInTryAgain: '/sign-in/try-again',
  signInCouldNotConfirm: '/sign-in/could-not-confirm',
  signInProveYourIdentity: '/sign-in/prove-your-identity',
  signInUnder16: '/sign-in/under-16',
  signOut: '/sign-out',
  signedOut: '/signed-out',
  keepAlive: '/session/keep-alive',

  register: {
    yourInformation: '/register/your-information',
    checkYourDetails: '/register/check-your-details',
    notMyDetails: '/register/not-my-details',
    checkAnswers: '/register/check-answers',
    confirmation: '/register/confirmation',
  },

  account: '/account',
  signInHistory: '/account/sign-in-history',
  signInMethods: '/account/sign-in-methods',
  signInMethodNotAdded: '/account/sign-in-methods/not-added',
  closeAccount: '/account/close',
  /** Public: where closing an account ends, signed out (nothing personal on it). */
  accountClosed: '/account-closed',
  /** Your data (lib/your-data): download everything held about you. */
  yourData: {
    start: '/account/your-data',
    download: (id: string) => `/account/your-data/${segment(id)}`,
    readable: (id: string) => `/account/your-data/${segment(id)}/readable`,
    json: (id: string) => `/account/your-data/${segment(id)}/your-data.json`,
    fhir: (id: string) => `/account/your-data/${segment(id)}/fhir-bundle.json`,
  },
  joinAccounts: {
    question: (question: string) => `/account/sign-in-methods/join/${segment(question)}`,
    checkAnswers: '/account/sign-in-methods/join/check-answers',
    cancel: '/account/sign-in-methods/join/cancel',
    confirmation: '/account/sign-in-methods/join/confirmation',
  },
  /** Acting for someone else (lib/proxy): the person's side (who acts for them, inviting someone) and the proxy's (invitations, whom they act for). */
  peopleActingForYou: {
    list: '/account/people-acting-for-you',
    inviteName: '/account/people-acting-for-you/invite/name',
    inviteContact: '/account/people-acting-for-you/invite/contact',
    invitePermissions: '/account/people-acting-for-you/invite/permissions',
    inviteHowLong: '/account/people-acting-for-you/invite/how-long',
    inviteCheckAnswers: '/account/people-acting-for-you/invite/check-answers',
    inviteSent: '/account/people-acting-for-you/invite/sent',
    access: (id: string) => `/account/people-acting-for-you/${segment(id)}`,
    permissions: (id: string) => `/account/people-acting-for-you/${segment(id)}/permissions`,
    end: (id: string) => `/account/people-acting-for-you/${segment(id)}/end`,
  },
  actingFor: {
    list: '/acting-for',
    invitation: (token: string) => `/acting-for/invitations/${segment(token)}`,
    start: '/acting-for/start',
    stop: '/acting-for/stop',
    /** Where someone is told the access they were acting under has ended. */
    ended: '/acting-for/ended',
  },

  aboutMe: {
    summary: '/about-me',
    topThree: '/about-me/top-three',
    topThreeCheck: '/about-me/top-three/check-answers',
    topThreeConfirmation: '/about-me/top-three/confirmation',
    topThreeHistory: '/about-me/top-three/history',
    conditions: '/about-me/conditions',
    addCondition: '/about-me/conditions/add',
    conditionCheck: '/about-me/conditions/check-answers',
    conditionConfirmation: '/about-me/conditions/confirmation',
    removeCondition: (id: string) => `/about-me/conditions/${segment(id)}/remove`,
    communicationNeeds: '/about-me/communication-needs',
    communicationCheck: '/about-me/communication-needs/check-answers',
    communicationConfirmation: '/about-me/communication-needs/confirmation',
  },

  contactDetails: {
    summary: '/about-me/contact-preferences',
    howToContact: '/about-me/contact-preferences/how-to-contact-you',
    emailAddress: '/about-me/contact-preferences/email-address',
    mobileNumber: '/about-me/contact-preferences/mobile-number',
    fewerLetters: '/about-me/contact-preferences/fewer-letters',
    preferenceCheck: '/about-me/contact-preferences/check-answers',
    preferenceConfirmation: '/about-me/contact-preferences/confirmation',
    address: '/about-me/address',
    postcode: '/about-me/address/postcode',
    select: '/about-me/address/select',
    manual: '/about-me/address/manual',
    addressCheck: '/about-me/address/check-answers',
    addressConfirmation: '/about-me/address/confirmation',
  },

  bloodPressure: {
    overview: '/blood-pressure',
    add: '/blood-pressure/add',
    check: '/blood-pressure/add/check',
    saved: '/blood-pressure/add/saved',
    readings: '/blood-pressure/readings',
    readingsCsv: '/blood-pressure/readings.csv',
    readingsRange: (range: string) => `/blood-pressure/readings?range=${segment(range)}`,
    readingsPage: (range: string, page: number) => `/blood-pressure/readings?range=${segment(range)}&page=${page}`,
    change: (id: string) => `/blood-pressure/readings/${segment(id)}/change`,
    changed: (id: string) => `/blood-pressure/readings/${segment(id)}/changed`,
    delete: (id: string) => `/blood-pressure/readings/${segment(id)}/delete`,
    startWeek: '/blood-pressure/week/start',
    endWeek: '/blood-pressure/week/end',
    weeks: '/blood-pressure/weeks',
    week: (id: string) => `/blood-pressure/weeks/${segment(id)}`,
  },

  careRecord: {
    summary: '/care-record',
    checkAgain: '/care-record/check-again',
    healthProblems: '/care-record/health-problems',
    medicines: '/care-record/medicines',
    allergies: '/care-record/allergies',
    vaccinations: '/care-record/vaccinations',
    testResults: '/care-record/test-results',
    appointments: '/care-record/appointments',
    letters: '/care-record/letters',
    letter: (id: string) => `/care-record/letters/${segment(id)}`,
    letterPdf: (id: string) => `/care-record/letters/${segment(id)}/pdf`,
    careTeam: '/care-record/care-team',
    carePlan: '/care-record/care-plan',
  },

  /** Letters partner organisations delivered (lib/letters): the citizen's inbox, and the senders' signed API. */
  letters: {
    inbox: '/letters',
    letter: (id: string) => `/letters/${segment(id)}`,
    pdf: (id: string) => `/letters/${segment(id)}/pdf`,
    api: '/api/letters/v1/letters',
    apiLetter: (id: string) => `/api/letters/v1/letters/${segment(id)}`,
  },

  sharing: {
    summary: '/sharing',
    category: (category: string) => `/sharing/${segment(category)}`,
    whoHasViewed: '/sharing/who-has-viewed',
  },

  /** A parent's or attorney's request to act for someone, and its check by a proxy verifier (lib/proxy). */
  proxyRequests: {
    relationship: '/acting-for/request/relationship',
    theirDetails: '/acting-for/request/their-details',
    evidence: '/acting-for/request/evidence',
    permissions: '/acting-for/request/permissions',
    checkAnswers: '/acting-for/request/check-answers',
    sent: '/acting-for/request/sent',
    /** The person who asked: each request, and what was decided. */
    list: '/acting-for/requests',
    staffList: '/staff/proxy-requests',
    staffReview: (id: string) => `/staff/proxy-requests/${segment(id)}`,
  },

  /** Apps citizens connect to their record (lib/open-platform); the API itself is at /fhir/r4. */
  apps: {
    connected: '/account/apps',
    disconnect: (appId: string) => `/account/apps/${segment(appId)}/disconnect`,
    /** The consent page an app's request leads to (oidc-provider's interaction). */
    connect: (uid: string) => `/apps/connect/${segment(uid)}`,
    /** For people who make apps: how to connect to the FHIR API. */
    developers: '/developers',
    /** The registry, for programme administrators: the apps citizens may connect. */
    staffList: '/staff/apps',
    staffRegister: '/staff/apps/register',
    staffWithdraw: (id: string) => `/staff/apps/${segment(id)}/withdraw`,
  },

  engagement: {
    home: '/engagement',
    contributions: '/engagement/contributions',
    preferences: '/engagement/preferences',
    area: '/engagement/preferences/area',
    topics: '/engagement/preferences/topics',
    ways: '/engagement/preferences/ways',
    invitations: '/engagement/preferences/invitations',
    howOften: '/engagement/preferences/how-often',
    activity: (id: string) => `/engagement/activities/${segment(id)}`,
    question: (id: string, n: number) => `/engagement/activities/${segment(id)}/questions/${n}`,
    earlierAnswer: (id: string, n: number) => `/engagement/activities/${segment(id)}/questions/${n}/earlier-answer`,
    checkAnswers: (id: string) => `/engagement/activities/${segment(id)}/check-answers`,
    sent: (id: string) => `/engagement/activities/${segment(id)}/sent`,
  },

  staff: {
    home: '/staff',
    signIn: '/staff/sign-in',
    findACitizen: '/staff/find-a-citizen',
    findByNameAndDateOfBirth: '/staff/find-a-citizen/name-and-date-of-birth',
    citizen: (id: string) => `/staff/citizens/${segment(id)}`,
    citizenReadings: (id: string) => `/staff/citizens/${segment(id)}/blood-pressure-readings`,
    emergencyAccess: (id: string) => `/staff/citizens/${segment(id)}/emergency-access`,
    endEmergencyAccess: (id: string) => `/staff/citizens/${segment(id)}/emergency-access/end`,
    emergencyAccessReport: '/staff/emergency-access',
    activeUsers: '/staff/active-users',
    activeUsersCsv: '/staff/active-users.csv',
    benefits: '/staff/benefits',
    benefitsCsv: '/staff/benefits.csv',
    feedback: '/staff/feedback',
    feedbackCsv: '/staff/feedback.csv',
    deliveries: '/staff/deliveries',
    sendAgain: (id: string) => `/staff/deliveries/${segment(id)}/send-again`,
    engagement: {
      home: '/staff/engagement',
      new: '/staff/engagement/new',
      activity: (id: string) => `/staff/engagement/activities/${segment(id)}`,
      about: (id: string) => `/staff/engagement/activities/${segment(id)}/about`,
      audience: (id: string) => `/staff/engagement/activities/${segment(id)}/audience`,
      topics: (id: string) => `/staff/engagement/activities/${segment(id)}/topics`,
      method: (id: string) => `/staff/engagement/activities/${segment(id)}/method`,
      dates: (id: string) => `/staff/engagement/activities/${segment(id)}/dates`,
      questions: (id: string) => `/staff/engagement/activities/${segment(id)}/questions`,
      newQuestion: (id: string) => `/staff/engagement/activities/${segment(id)}/questions/new`,
      checkAnswers: (id: string) => `/staff/engagement/activities/${segment(id)}/check-answers`,
      invitations: (id: string) => `/staff/engagement/activities/${segment(id)}/invitations`,
      results: (id: string) => `/staff/engagement/activities/${segment(id)}/results`,
      resultsCsv: (id: string) => `/staff/engagement/activities/${segment(id)}/results.csv`,
      close: (id: string) => `/staff/engagement/activities/${segment(id)}/close`,
    },
  },
} as const;
