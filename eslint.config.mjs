// Lint: the rules that keep the layout the README describes. Run by `npm run lint` and by
// scripts/test.sh (so CI fails when one is broken).
import tseslint from 'typescript-eslint';

/** Capabilities (lib/<capability>/): each has a public module, public.ts, that others import. */
const CAPABILITIES = [
  'about-me',
  'audit',
  'blood-pressure',
  'care-record',
  'contact-details',
  'engagement',
  'feedback',
  'identity',
  'letters',
  'notifications',
  'open-platform',
  'proxy',
  'reporting',
  'sharing',
  'your-data',
];

const TESTS = ['**/*.test.ts', '**/test-support.ts', 'lib/platform/db-test-support.ts', 'lib/platform/testing/**'];

/** Development tools (scripts/) never ship in the service. */
const NO_SCRIPTS = {
  group: ['@/scripts/*', '**/scripts/*'],
  message: 'lib/ must not import from scripts/: development tools would ship in the production bundle.',
};

export default tseslint.config(
  { ignores: ['lib/generated/**', '.next/**', 'node_modules/**', '.tmp/**', 'public/**', 'data/**', 'coverage/**'] },
  { files: ['**/*.ts', '**/*.mts', '**/*.mjs'], languageOptions: { parser: tseslint.parser } },
  ...CAPABILITIES.map((capability) => {
    const others = CAPABILITIES.filter((other) => other !== capability);
    return {
      files: [`lib/${capability}/**/*.ts`],
      ignores: TESTS,
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              {
                group: [
                  ...others.map((other) => `@/lib/${other}/*`),
                  ...others.map((other) => `!@/lib/${other}/public`),
                  ...others.map((other) => `../${other}/*`),
                ],
                message: 'Another capability is reached through its public module only: @/lib/<capability>/public.',
              },
              NO_SCRIPTS,
            ],
          },
        ],
      },
    };
  }),
  {
    files: ['lib/platform/**/*.ts'],
    ignores: TESTS,
    rules: { 'no-restricted-imports': ['error', { patterns: [NO_SCRIPTS] }] },
  },
);
