// The NHS brand's enhancements (BRAND=nhs): NHS.UK Frontend's instead of GOV.UK Frontend's.
// Every page works without this file. scripts/build-assets.sh bundles it (esbuild) with only the
// NHS.UK Frontend components named here: those whose macros views/components.njk calls, or the
// NHS.UK template draws (the skip link), and that have a script (lib/platform/brand-assets.test.ts
// checks the list), not the whole of NHS.UK Frontend's JavaScript.
import { Button, CharacterCount, Checkboxes, createAll, ErrorSummary, Header, isSupported, NotificationBanner, Radios, SkipLink } from 'nhsuk-frontend';
import { initTimeoutWarning } from './timeout-warning.mjs';

if (isSupported()) {
  for (const Component of [Button, CharacterCount, Checkboxes, ErrorSummary, Header, NotificationBanner, Radios, SkipLink]) createAll(Component);
}

const timeoutWarning = document.querySelector('[data-module="app-timeout-warning"]');
if (timeoutWarning) initTimeoutWarning(timeoutWarning);
